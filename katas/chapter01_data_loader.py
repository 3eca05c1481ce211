"""Chapter 01 — DataLoader: from a play to batches of integers.

A neural network reads numbers, not letters. This chapter turns the text of
Shakespeare into a long tensor of integers, one per character, and cuts
random windows out of it to train on.

1. Vocabulary. The distinct characters of the text, *sorted*, are the
   vocabulary; a character's position in that sorted list is its id.
   ``ctoi`` maps character -> id, ``itoc`` maps id -> character.
2. Encode / decode. ``encode("hi")`` gives a list of ids, ``decode`` turns
   ids back into text; decode(encode(s)) == s.
3. Split. The first 90 % of the encoded text is for training, the last
   10 % for validation: text the model never trains on, to tell learning
   from memorising.
4. Batches. ``get_batch`` picks ``batch_size`` random start positions and
   cuts a window of ``input_sequence_length`` (T) tokens from each. The
   targets are the same windows moved one token to the right: at every
   position the model must predict the character that comes next.

       data:     F  i  r  s  t  _  C  i  t
       inputs:   F  i  r  s  t  _  C         (one window, T = 7)
       targets:     i  r  s  t  _  C  i      (the next character of each)

Tutorial: Everyone's nanoGPT, Chapter 01 "Dataloader": Sections 1 and 4
(``__init__``), 2 (encode), 3 (decode), 5 (split_data), 6 (get_batch) and
7 (Define a class). The class, its attributes and its methods are the
tutorial's, name for name.
"""

import torch


class DataLoader:
    """Character-level tokenizer and batch sampler over one text.

    text:   the whole corpus as one string
    config: needs ``batch_size``, ``input_sequence_length`` and ``device_type``

    Attributes set by ``__init__``:
        ctoi        dict, character -> id (ids follow sorted character order)
        itoc        dict, id -> character
        vocab_size  number of distinct characters, V
        data        LongTensor (N,): the whole text encoded
        train_data  LongTensor: the first int(0.9 * N) tokens of ``data``
        val_data    LongTensor: the rest
    """

    def __init__(self, text, config):
        """Build the vocabulary, encode the text and split it.

        ``split_data`` is a method of its own: call it to fill
        ``train_data`` and ``val_data``.
        """
        self.config = config
        block = config.input_sequence_length
        if len(text) < block + 1:
            raise ValueError(
                f"the text has {len(text)} characters, but one training window needs "
                f"input_sequence_length + 1 = {block + 1} (T inputs and the character after them): "
                "use a longer text or a smaller input_sequence_length"
            )
        raise NotImplementedError("chapter 01: write DataLoader.__init__")

    def encode(self, text):
        """Return the list of ids of the characters of ``text``.

        Example with the vocabulary of "Hello World!":
        encode("Hello") -> [2, 5, 6, 6, 7]
        """
        unknown = sorted(set(text) - set(self.ctoi))
        if unknown:
            raise ValueError(
                f"cannot encode {''.join(unknown)!r}: not in this DataLoader's vocabulary "
                f"of {len(self.ctoi)} characters (a model only knows the characters of its training text)"
            )
        raise NotImplementedError("chapter 01: write DataLoader.encode")

    def decode(self, indices):
        """Return the text spelled by a list of ids, e.g. decode([2, 5, 6, 6, 7]) -> "Hello".

        The tutorial passes Python ints (``tensor[0].tolist()``); a 1-D tensor
        is turned into such a list first, by the given line below.
        """
        if isinstance(indices, torch.Tensor):
            indices = indices.tolist()  # tensor elements are not dict keys: itoc[tensor(5)] is a KeyError
        raise NotImplementedError("chapter 01: write DataLoader.decode")

    def split_data(self):
        """Return (train_data, val_data): the first 90 % of ``data`` and the rest.

        The split point is ``int(0.9 * len(self.data))``. The text is not
        shuffled first: the validation set is a later stretch of the play.
        """
        raise NotImplementedError("chapter 01: write DataLoader.split_data")

    def get_batch(self, split):
        """Sample a batch of windows from ``"train"`` or ``"val"``.

        Returns (inputs, targets), each a LongTensor of shape
        (batch_size, input_sequence_length) on ``config.device_type``, with
        targets[b, t] == the token after inputs[b, t] in the split.

        Every start position from 0 to len(split_data) - T - 1 must be
        possible, so that the last window still has a next character.
        """
        if split not in ("train", "val"):
            raise ValueError(f"split must be 'train' or 'val', not {split!r}")
        source = self.train_data if split == "train" else self.val_data
        block = self.config.input_sequence_length
        if len(source) < block + 1:
            raise ValueError(
                f"the {split} split holds {len(source)} tokens, too few for one window of "
                f"input_sequence_length + 1 = {block + 1}: use a longer text or a smaller input_sequence_length"
            )
        raise NotImplementedError("chapter 01: write DataLoader.get_batch")
