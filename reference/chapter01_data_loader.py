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

Tutorial: Everyone's nanoGPT, Chapter 01 "Dataloader". Each section is a step,
in the tutorial's order: Section 1 ``vocabulary``; Section 2 ``char_to_id``
and ``encode``; Section 3 ``id_to_char`` and ``decode``; Section 4
``data_tensor``; Section 5 ``split_index`` and ``train_val_split``;
Section 6 ``unstartable_index``, ``random_start_indices`` and
``input_target_windows``. Section 7 (Define a class) is the ``DataLoader``
class, which may use the steps. The class, its attributes and its methods
are the tutorial's, name for name.
"""

import torch


def vocabulary(text):
    """Return the sorted list of the distinct characters of ``text``: the vocabulary.

    text: str  ->  list of str, one per distinct character, in sorted order

    ``set`` keeps each character once, ``list`` and ``sorted`` put them in
    order; a character's position in this list becomes its id.
    Check point: vocabulary('Hello World!') is
    [' ', '!', 'H', 'W', 'd', 'e', 'l', 'o', 'r'] (9 characters); the whole
    play has 65, from the newline (id 0) and ' ' (id 1) to 'z' (id 64).

    Tutorial: Chapter 01, Section 1 (``__init__``, part 1).
    """
    # BEGIN SOLUTION
    return sorted(list(set(text)))
    # END SOLUTION


def char_to_id(chars):
    """Return the dict that maps each character of the vocabulary to its id, its index in ``chars``.

    chars: list of str (a vocabulary)  ->  dict str -> int

    ``enumerate`` gives (index, character) pairs. Check point: over
    [' ', '!', 'H', 'W', 'd', 'e', 'l', 'o', 'r'] it gives
    {' ': 0, '!': 1, 'H': 2, 'W': 3, 'd': 4, 'e': 5, 'l': 6, 'o': 7, 'r': 8}.

    Tutorial: Chapter 01, Section 2 (Encode).
    """
    # BEGIN SOLUTION
    return {char: index for index, char in enumerate(chars)}
    # END SOLUTION


def encode(text, char_to_id):
    """Return the list of ids of the characters of ``text``, looked up in ``char_to_id``.

    text: str, char_to_id: dict str -> int  ->  list of int, one per character

    Check point: with the vocabulary of 'Hello World!',
    encode('Hello World!', ...) is [2, 5, 6, 6, 7, 0, 3, 7, 8, 6, 4, 1];
    with the play's vocabulary, encode("Let's he", ...) is
    [24, 43, 58, 5, 57, 1, 46, 43].

    Tutorial: Chapter 01, Sections 2 (Encode) and 4.
    """
    # BEGIN SOLUTION
    return [char_to_id[char] for char in text]
    # END SOLUTION


def id_to_char(chars):
    """Return the dict that maps each id back to its character: the inverse of ``char_to_id``.

    chars: list of str (a vocabulary)  ->  dict int -> str

    Over [' ', '!', 'H', 'W', 'd', 'e', 'l', 'o', 'r'] it gives
    {0: ' ', 1: '!', 2: 'H', ...}.

    Tutorial: Chapter 01, Section 3 (Decode).
    """
    # BEGIN SOLUTION
    return {index: char for index, char in enumerate(chars)}
    # END SOLUTION


def decode(ids, id_to_char):
    """Return the text spelled by a list of ids, looked up in ``id_to_char``.

    ids: list of int, id_to_char: dict int -> str  ->  str

    Look each id up, then join the characters into one string. Example:
    decode([2, 5, 6, 6, 7, 0, 3, 7, 8, 6, 4, 1], ...) with the vocabulary of
    'Hello World!' gives 'Hello World!'; with the play's vocabulary
    decode([24, 43, 58, 5, 57, 1, 46, 43], ...) gives "Let's he".

    Tutorial: Chapter 01, Sections 3 (Decode) and 4.
    """
    # BEGIN SOLUTION
    return "".join([id_to_char[index] for index in ids])
    # END SOLUTION


def data_tensor(text, char_to_id):
    """Encode the whole text into one long tensor of ids.

    text: str of N characters, char_to_id: dict str -> int  ->  LongTensor (N,)

    ``torch.tensor(ids, dtype=torch.long)``: ids index embedding tables, so
    they are 64-bit integers. Check point: for the whole play, data prints
    tensor([18, 47, 56,  ..., 45,  8,  0]) and holds 1115394 ids.

    Tutorial: Chapter 01, Section 4 (``__init__``, part 2).
    """
    # BEGIN SOLUTION
    return torch.tensor(encode(text, char_to_id), dtype=torch.long)
    # END SOLUTION


def split_index(data_length):
    """Return where the training split ends: the first 90 % of the ids train, the rest validate.

    data_length: int, N  ->  int(0.9 * N)

    ``int`` cuts the fraction off (it does not round). Check point: the play's
    1115394 ids split at 1003854.

    Tutorial: Chapter 01, Section 5 (split_data).
    """
    # BEGIN SOLUTION
    return int(0.9 * data_length)
    # END SOLUTION


def train_val_split(data):
    """Return (train_data, val_data): ``data`` cut at ``split_index(len(data))``.

    data: LongTensor (N,)  ->  (N_train,), (N - N_train,)

    No shuffling: validation is the last stretch of the play. Check point:
    the play gives 1003854 training and 111540 validation ids.

    Tutorial: Chapter 01, Section 5 (split_data).
    """
    # BEGIN SOLUTION
    index = split_index(len(data))
    return data[:index], data[index:]
    # END SOLUTION


def unstartable_index(data_length, block_size):
    """Return the first start index whose window would run out of targets.

    data_length: N, block_size: T  ->  N - T

    A window at ``start`` needs T inputs and, for its last target, the id
    after them: ids start .. start + T. So the starts 0 .. N - T - 1 work and
    N - T is the first that cannot be used. Check point: the training split's
    1003854 ids with block_size 8 give 1003846.

    Tutorial: Chapter 01, Section 6 (get_batch).
    """
    # BEGIN SOLUTION
    return data_length - block_size
    # END SOLUTION


def random_start_indices(data_length, block_size, batch_size, generator=None):
    """Draw ``batch_size`` random window starts, with ONE call of ``torch.randint``.

    data_length: N, block_size: T, batch_size: B  ->  LongTensor (B,), each in 0 .. N - T - 1
    generator: an optional ``torch.Generator``: pass it on to the draw,
               ``torch.randint(..., generator=generator)`` (None means
               torch's global one, as in the tutorial)

    ``unstartable_index(N, T)`` = N - T is the first start whose window would
    have no next character for its last target; ``torch.randint(low, high,
    ...)`` never draws ``high`` itself. Check point: after torch.manual_seed(1337),
    the training split's 1003854 ids and T = 8, the single start drawn is
    76049 (its window decodes to "Let's he").

    Tutorial: Chapter 01, Section 6 (get_batch).
    """
    # BEGIN SOLUTION
    return torch.randint(0, unstartable_index(data_length, block_size), (batch_size,), generator=generator)
    # END SOLUTION


def input_target_windows(data, starts, block_size):
    """Cut one input window and its target window at every start.

    data: LongTensor (N,), starts: (B,) ints, block_size: T  ->  inputs (B, T), targets (B, T)

    inputs[b] = data[start : start + T]; targets[b] is the same window
    shifted by one, data[start + 1 : start + T + 1]: at every position the
    target is the character that comes next. Check point: at start 76049 of
    the play's training split, the input is "Let's he"
    [24, 43, 58, 5, 57, 1, 46, 43] and the target "et's hea"
    [43, 58, 5, 57, 1, 46, 43, 39].

    Tutorial: Chapter 01, Section 6 (get_batch).
    """
    # BEGIN SOLUTION
    inputs = torch.stack([data[start : start + block_size] for start in starts])  # (B, T)
    targets = torch.stack([data[start + 1 : start + block_size + 1] for start in starts])  # (B, T)
    return inputs, targets
    # END SOLUTION


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

        ``split_data`` is a method of its own that *returns* the pair: fill
        both attributes with ``self.train_data, self.val_data =
        self.split_data()``, as the tutorial does.
        """
        self.config = config
        block = config.input_sequence_length
        if len(text) < block + 1:
            raise ValueError(
                f"the text has {len(text)} characters, but one training window needs "
                f"input_sequence_length + 1 = {block + 1} (T inputs and the character after them): "
                "use a longer text or a smaller input_sequence_length"
            )
        # BEGIN SOLUTION
        characters = vocabulary(text)
        self.vocab_size = len(characters)
        self.ctoi = char_to_id(characters)
        self.itoc = id_to_char(characters)
        self.data = data_tensor(text, self.ctoi)  # as torch.tensor(self.encode(text), dtype=torch.long)
        self.train_data, self.val_data = train_val_split(self.data)  # as self.split_data()
        # END SOLUTION

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
        # BEGIN SOLUTION
        return encode(text, self.ctoi)
        # END SOLUTION

    def decode(self, indices):
        """Return the text spelled by a list of ids, e.g. decode([2, 5, 6, 6, 7]) -> "Hello".

        The tutorial passes Python ints (``tensor[0].tolist()``); a 1-D tensor
        is turned into such a list first, by the given line below.
        """
        if isinstance(indices, torch.Tensor):
            indices = indices.tolist()  # tensor elements are not dict keys: itoc[tensor(5)] is a KeyError
        # BEGIN SOLUTION
        return decode(indices, self.itoc)
        # END SOLUTION

    def split_data(self):
        """Return (train_data, val_data): the first 90 % of ``data`` and the rest.

        The split point is ``int(0.9 * len(self.data))``. The text is not
        shuffled first: the validation set is a later stretch of the play.
        """
        # BEGIN SOLUTION
        return train_val_split(self.data)
        # END SOLUTION

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
        # BEGIN SOLUTION
        starts = random_start_indices(len(source), block, self.config.batch_size)
        inputs, targets = input_target_windows(source, starts, block)
        return inputs.to(self.config.device_type), targets.to(self.config.device_type)
        # END SOLUTION
