"""Chapter 01, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 01 "Dataloader": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)  # the steps are the learner's own code: they fall through to the reference


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
        self.config = config
        chars = sorted(list(set(text)))
        self.vocab_size = len(chars)
        self.ctoi = {char: index for index, char in enumerate(chars)}
        self.itoc = {index: char for index, char in enumerate(chars)}
        self.data = torch.tensor(self.encode(text), dtype=torch.long)
        self.train_data, self.val_data = self.split_data()

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
        return [self.ctoi[char] for char in text]

    def decode(self, indices):
        """Return the text spelled by a list of ids, e.g. decode([2, 5, 6, 6, 7]) -> "Hello".

        The tutorial passes Python ints (``tensor[0].tolist()``); a 1-D tensor
        is turned into such a list first, by the given line below.
        """
        if isinstance(indices, torch.Tensor):
            indices = indices.tolist()  # tensor elements are not dict keys: itoc[tensor(5)] is a KeyError
        return ''.join([self.itoc[index] for index in indices])

    def split_data(self):
        """Return (train_data, val_data): the first 90 % of ``data`` and the rest.

        The split point is ``int(0.9 * len(self.data))``. The text is not
        shuffled first: the validation set is a later stretch of the play.
        """
        split_index = int(0.9 * len(self.data))
        train_data = self.data[:split_index]
        val_data = self.data[split_index:]
        return train_data, val_data

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
        data = self.train_data if split == 'train' else self.val_data
        random_start_indices = torch.randint(len(data) - self.config.input_sequence_length, (self.config.batch_size,))
        input_batch = torch.stack([data[i:i + self.config.input_sequence_length] for i in random_start_indices])
        target_batch = torch.stack(
            [data[i + 1:i + self.config.input_sequence_length + 1] for i in random_start_indices]
        )
        input_batch, target_batch = input_batch.to(self.config.device_type), target_batch.to(self.config.device_type)
        return input_batch, target_batch
