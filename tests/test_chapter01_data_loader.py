"""Chapter 01 — DataLoader. All fail with NotImplementedError at first.

Most tests use small texts, so that what a batch holds can be checked exactly.
A few read the real play (the ``shakespeare_text`` fixture), once per session.
"""

import functools
import random

import pytest
import torch

from kata_tools.i18n import _
from kata_tools.runner import command
from kata_tools.testing import assert_shape, chapter_module, make_config

data_loader = chapter_module("chapter01_data_loader")

HELLO = "Hello World!"


def build_loader(text, **config_overrides):
    return data_loader.DataLoader(text, make_config(**config_overrides))


@functools.lru_cache(maxsize=1)
def play_loader(text):
    """The loader over the whole play, built once: encoding 1.1M characters takes a moment."""
    return build_loader(text)


def no_repeats_text(length, seed=0):
    """``length`` different characters in shuffled order.

    No character occurs twice, so a token tells exactly where in the text it
    stands, and so where a window of a batch was cut. The shuffle keeps the
    text order apart from the sorted (id) order.
    """
    characters = [chr(0x100 + offset) for offset in range(length)]
    random.Random(seed).shuffle(characters)
    return "".join(characters)


def window_starts(inputs, targets, split_tokens, split_name):
    """Where in ``split_tokens`` each row of a batch starts, after checking the rows are real windows.

    Needs a text without repeated characters (``no_repeats_text``), so that a
    window's first token gives its start.
    """
    batch_size, block = inputs.shape
    position_in_split = {int(token): index for index, token in enumerate(split_tokens)}
    starts = []
    for row in range(batch_size):
        first = int(inputs[row, 0])
        if first not in position_in_split:
            raise AssertionError(
                _("row {row} of a {split_name!r} batch starts with token {first}, which is not in {split_name}_data: "
                  "{split_name!r} windows must be cut from the {split_name} split only").format(
                    row=row, split_name=split_name, first=first)
            )
        start = position_in_split[first]
        if start + block + 1 > len(split_tokens):
            raise AssertionError(
                _("row {row} of a {split_name!r} batch starts at {start}, but {split_name}_data has "
                  "{split_tokens_count} tokens: with T = {block} that window runs past the end (the last start is "
                  "len - T - 1 = {last_start}, so that its last target still exists)").format(
                    row=row,
                    split_name=split_name,
                    start=start,
                    split_tokens_count=len(split_tokens),
                    block=block,
                    last_start=len(split_tokens) - block - 1)
            )
        window = split_tokens[start : start + block]
        if not torch.equal(inputs[row].cpu(), window):
            raise AssertionError(
                _("row {row} of the {split_name!r} inputs is {inputs}, not the contiguous window "
                  "{split_name}_data[{start}:{end}] = {window}: cut T consecutive tokens").format(
                    row=row,
                    split_name=split_name,
                    inputs=inputs[row].tolist(),
                    start=start,
                    end=start + block,
                    window=window.tolist())
            )
        next_tokens = split_tokens[start + 1 : start + block + 1]
        if not torch.equal(targets[row].cpu(), next_tokens):
            raise AssertionError(
                _("row {row}: targets should be the inputs shifted by one token, {split_name}_data[{first}:{end}] "
                  "= {next_tokens}, got {targets} (inputs {inputs})").format(
                    row=row,
                    split_name=split_name,
                    first=start + 1,
                    end=start + block + 1,
                    next_tokens=next_tokens.tolist(),
                    targets=targets[row].tolist(),
                    inputs=inputs[row].tolist())
            )
        starts.append(start)
    return starts


def draw_batch(loader, split):
    """get_batch, with a window that runs off the end of the split reported as such."""
    try:
        return loader.get_batch(split)
    except (RuntimeError, IndexError) as error:
        raise AssertionError(
            _("get_batch({split!r}) failed: {error}. A window starting too late runs past the end of the split: the "
              "last start is len(split) - T - 1, so that its last target still exists").format(
                split=split, error=error)
        ) from error


# ---------------------------------------------------------------- the tutorial's steps, section by section

HELLO_CHARS = [" ", "!", "H", "W", "d", "e", "l", "o", "r"]  # the tutorial's sorted characters of 'Hello World!'
HELLO_IDS = [2, 5, 6, 6, 7, 0, 3, 7, 8, 6, 4, 1]  # the tutorial's check point: encode('Hello World!')
LETS_HE = [24, 43, 58, 5, 57, 1, 46, 43]  # "Let's he" with the play's vocabulary
ETS_HEA = [43, 58, 5, 57, 1, 46, 43, 39]  # "et's hea", its target


def play_ids(text):
    """The play's {character: id} map, built here so that no test needs another step."""
    return {character: index for index, character in enumerate(sorted(set(text)))}


@pytest.mark.kata("vocabulary")
def test_vocabulary_of_hello_world_is_its_sorted_distinct_characters():
    chars = data_loader.vocabulary(HELLO)
    assert list(chars) == HELLO_CHARS, (
        _("the tutorial's check point for {hello!r} is {hello_chars} (distinct characters, sorted); yours is "
          "{chars}: set() keeps each character once, sorted() orders them").format(
            hello=HELLO, hello_chars=HELLO_CHARS, chars=list(chars))
    )


@pytest.mark.kata("vocabulary")
def test_vocabulary_of_the_play_has_65_characters(shakespeare_text):
    chars = list(data_loader.vocabulary(shakespeare_text))
    assert len(chars) == 65, _("the tutorial's check point: the play's vocabulary size is 65; yours is "
                               "{chars_count}").format(
                                 chars_count=len(chars))
    assert chars[:3] == ["\n", " ", "!"] and chars[13] == "A" and chars[39] == "a" and chars[-1] == "z", (
        _("the tutorial's vocabulary starts '\\n', ' ', '!' (ids 0, 1, 2), has 'A' at 13, 'a' at 39 and ends with "
          "'z' at 64; yours starts {chars} and ends with {last!r}: sort the characters").format(
            chars=chars[:3], last=chars[-1])
    )


@pytest.mark.kata("char_to_id")
def test_char_to_id_numbers_the_characters_in_their_order():
    mapping = data_loader.char_to_id(HELLO_CHARS)
    expected = {" ": 0, "!": 1, "H": 2, "W": 3, "d": 4, "e": 5, "l": 6, "o": 7, "r": 8}
    assert dict(mapping) == expected, (
        _("the tutorial's check point pairs 0 ' ', 1 '!', 2 'H', ... 8 'r' (enumerate over the sorted characters); "
          "your char_to_id is {mapping}").format(mapping=dict(mapping))
    )


@pytest.mark.kata("encode")
def test_encode_hello_world_gives_the_tutorials_ids():
    char_to_id = {char: index for index, char in enumerate(HELLO_CHARS)}
    ids = data_loader.encode(HELLO, char_to_id)
    assert list(ids) == HELLO_IDS, (
        _("the tutorial's check point for {hello!r} is {hello_ids}; yours is {ids}").format(
            hello=HELLO, hello_ids=HELLO_IDS, ids=list(ids))
    )
    assert list(data_loader.encode("", char_to_id)) == [], _("the empty text has no ids")


@pytest.mark.kata("encode")
def test_encode_lets_he_with_the_plays_vocabulary(shakespeare_text):
    ids = data_loader.encode("Let's he", play_ids(shakespeare_text))
    assert list(ids) == LETS_HE, _('the tutorial\'s check point for "Let\'s he" is {lets_he}; yours is {ids}').format(
                                     lets_he=LETS_HE, ids=list(ids))


@pytest.mark.kata("id_to_char")
def test_id_to_char_is_the_inverse_of_char_to_id():
    mapping = data_loader.id_to_char(HELLO_CHARS)
    expected = dict(enumerate(HELLO_CHARS))
    assert dict(mapping) == expected, (
        _("id_to_char over {hello_chars} should map each index to its character, {expected}; yours is "
          "{mapping}").format(
            hello_chars=HELLO_CHARS, expected=expected, mapping=dict(mapping))
    )


@pytest.mark.kata("decode")
def test_decode_spells_hello_world_back():
    text = data_loader.decode(HELLO_IDS, dict(enumerate(HELLO_CHARS)))
    assert isinstance(text, str), (
        _("decode should return one string (''.join of the characters), got {text_type}: {text!r}").format(
            text_type=type(text).__name__, text=text)
    )
    assert text == HELLO, _("the tutorial decodes {hello_ids} back to {hello!r}; yours gives {text!r}").format(
                              hello_ids=HELLO_IDS, hello=HELLO, text=text)


@pytest.mark.kata("decode")
def test_decode_lets_he_with_the_plays_vocabulary(shakespeare_text):
    id_to_char = {index: char for char, index in play_ids(shakespeare_text).items()}
    text = data_loader.decode(LETS_HE, id_to_char)
    assert text == "Let's he", (
        _('the tutorial\'s check point: decoding {lets_he} gives "Let\'s he"; yours {text!r}').format(
            lets_he=LETS_HE, text=text)
    )


@pytest.mark.kata("data_tensor")
def test_data_tensor_of_the_play_matches_the_tutorials_print(shakespeare_text):
    data = data_loader.data_tensor(shakespeare_text, play_ids(shakespeare_text))
    assert isinstance(data, torch.Tensor) and data.dtype == torch.long, (
        _("data should be a tensor of dtype torch.long (ids index embedding tables), got {data_type} {dtype}").format(
            data_type=type(data).__name__, dtype=getattr(data, 'dtype', ''))
    )
    assert_shape(data, (1115394,), "(N,)", _("data, one id per character of the play"))
    assert data[:3].tolist() == [18, 47, 56] and data[-3:].tolist() == [45, 8, 0], (
        _("the tutorial's check point prints tensor([18, 47, 56,  ..., 45,  8,  0]); yours starts {first} and ends "
          "{last}").format(first=data[:3].tolist(), last=data[-3:].tolist())
    )


@pytest.mark.kata("data_tensor")
def test_data_tensor_encodes_every_character_in_text_order():
    data = data_loader.data_tensor(HELLO, {char: index for index, char in enumerate(HELLO_CHARS)})
    assert isinstance(data, torch.Tensor), _("data_tensor should return a tensor, got {data_type}").format(
                                               data_type=type(data).__name__)
    assert data.tolist() == HELLO_IDS, _("data_tensor({hello!r}) should hold {hello_ids}; yours {data}").format(
                                           hello=HELLO, hello_ids=HELLO_IDS, data=data.tolist())


@pytest.mark.kata("split_index")
@pytest.mark.parametrize(("length", "expected"), [(1115394, 1003854), (704, 633), (10, 9)])
def test_split_index_is_int_of_90_percent(length, expected):
    index = data_loader.split_index(length)
    assert isinstance(index, int), _("the split index should be an int (it slices a tensor), got {index_type}").format(
                                       index_type=type(index).__name__)
    assert index == expected, (
        _("the split index of N = {length} is int(0.9 * N) = {expected} (the tutorial's check point for the play's "
          "1115394 ids is 1003854); yours is {index}: int() cuts the fraction off, round() does not").format(
            length=length, expected=expected, index=index)
    )


@pytest.mark.kata("train_val_split")
def test_train_val_split_cuts_the_play_into_1003854_and_111540(shakespeare_text):
    data = torch.arange(len(shakespeare_text))
    train_data, val_data = data_loader.train_val_split(data)
    assert (len(train_data), len(val_data)) == (1003854, 111540), (
        _("the tutorial's check point: 1003854 training and 111540 validation ids; yours are {train_data_count} and "
          "{val_data_count}").format(train_data_count=len(train_data), val_data_count=len(val_data))
    )
    assert torch.equal(train_data, data[:1003854]) and torch.equal(val_data, data[1003854:]), (
        _("train_data should be data[:split_index] and val_data data[split_index:]: the split point, no shuffling")
    )


@pytest.mark.kata("unstartable_index")
@pytest.mark.parametrize(("length", "block_size", "expected"), [(1003854, 8, 1003846), (20, 4, 16)])
def test_unstartable_index_is_the_length_minus_the_block_size(length, block_size, expected):
    index = data_loader.unstartable_index(length, block_size)
    assert index == expected, (
        _("with {length} ids and block_size {block_size} the first start that cannot yield {block_size} targets is "
          "{expected} (the tutorial's check point for the training split is 1003846); yours is {index}").format(
            length=length, block_size=block_size, expected=expected, index=index)
    )


@pytest.mark.kata("random_start_indices")
def test_random_start_indices_reproduces_the_tutorials_seeded_draw():
    torch.manual_seed(1337)
    starts = data_loader.random_start_indices(1003854, 8, 1)
    assert isinstance(starts, torch.Tensor), _("the starts should be a tensor (torch.randint), got "
                                               "{starts_type}").format(
                                                 starts_type=type(starts))
    assert_shape(starts, (1,), "(batch_size,)", _("the start indices"))
    assert starts.tolist() == [76049], (
        _("the tutorial's check point after torch.manual_seed(1337), with 1003854 training ids and block_size 8, is "
          "tensor([76049]); yours is {starts}: draw once, torch.randint(0, unstartable_index, (batch_size,)), "
          "with unstartable_index = len(train_data) - block_size = 1003846").format(starts=starts.tolist())
    )


@pytest.mark.kata("random_start_indices")
def test_random_start_indices_can_draw_every_start_and_none_past_the_last():
    data_length, block_size = 20, 4
    last_start = data_length - block_size - 1
    starts = data_loader.random_start_indices(data_length, block_size, 2000)
    assert_shape(starts, (2000,), "(batch_size,)", _("the start indices"))
    assert int(starts.max()) <= last_start, (
        _("a start of {starts_max} with N = {data_length} and block_size = {block_size}: the window's last target "
          "would run past the end; the unstartable index is N - block_size = {unstartable}").format(
            starts_max=int(starts.max()),
            data_length=data_length,
            block_size=block_size,
            unstartable=data_length - block_size)
    )
    missing = sorted(set(range(last_start + 1)) - set(starts.tolist()))
    assert not missing, (
        _("in 2000 draws these starts never came up: {missing}: every start 0 .. N - block_size - 1 = {last_start} "
          "must be possible (torch.randint's high end is never drawn)").format(missing=missing, last_start=last_start)
    )
    generator = torch.Generator().manual_seed(5)
    first = data_loader.random_start_indices(1000, 8, 6, generator=generator)
    again = data_loader.random_start_indices(1000, 8, 6, generator=torch.Generator().manual_seed(5))
    assert torch.equal(first, again), _("draw from the generator given (torch.randint(..., generator=generator))")


@pytest.mark.kata("input_target_windows")
def test_input_target_windows_at_76049_read_lets_he(shakespeare_text):
    ids = play_ids(shakespeare_text)
    train_data = torch.tensor([ids[char] for char in shakespeare_text[:1003854]], dtype=torch.long)
    inputs, targets = data_loader.input_target_windows(train_data, torch.tensor([76049]), 8)
    assert_shape(inputs, (1, 8), "(B, T)", "inputs")
    assert_shape(targets, (1, 8), "(B, T)", "targets")
    assert inputs[0].tolist() == LETS_HE, (
        _('the tutorial\'s check point: the window at 76049 decodes to "Let\'s he" {lets_he}; yours is '
          "{inputs}").format(lets_he=LETS_HE, inputs=inputs[0].tolist())
    )
    assert targets[0].tolist() == ETS_HEA, (
        _('the targets should be the inputs shifted by one, "et\'s hea" {ets_hea} in the tutorial; yours are '
          "{targets}").format(ets_hea=ETS_HEA, targets=targets[0].tolist())
    )


@pytest.mark.kata("input_target_windows")
def test_input_target_windows_cut_one_row_per_start():
    data = torch.arange(100, 130)
    inputs, targets = data_loader.input_target_windows(data, torch.tensor([0, 7, 25]), 4)
    assert_shape(inputs, (3, 4), "(B, T)", "inputs")
    assert inputs.tolist() == [[100, 101, 102, 103], [107, 108, 109, 110], [125, 126, 127, 128]], (
        _("row b should be data[start : start + T] for starts [0, 7, 25]; yours {inputs}").format(
            inputs=inputs.tolist())
    )
    assert targets.tolist() == [[101, 102, 103, 104], [108, 109, 110, 111], [126, 127, 128, 129]], (
        _("the targets should be the inputs shifted by one, data[start + 1 : start + T + 1]; yours {targets}").format(
            targets=targets.tolist())
    )


# ---------------------------------------------------------------- vocabulary, encode, decode


@pytest.mark.kata("DataLoader.__init__")
def test_vocabulary_of_the_play_is_its_65_sorted_characters(shakespeare_text):
    loader = play_loader(shakespeare_text)
    expected = sorted(set(shakespeare_text))
    assert len(expected) == 65, _("the play should have 65 distinct characters, it has {expected_count}: run "
                                  "`{command}`").format(expected_count=len(expected), command=command("data"))
    assert loader.vocab_size == 65, (
        _("vocab_size should be the number of distinct characters, 65, got {vocab_size}").format(
            vocab_size=loader.vocab_size)
    )
    vocabulary = [loader.itoc[index] for index in range(loader.vocab_size)]
    assert vocabulary == expected, (
        _("id i should stand for the i-th character in sorted order: itoc gives {got!r}, sorted(set(text)) is "
          "{expected!r}").format(got=''.join(vocabulary), expected=''.join(expected))
    )


@pytest.mark.kata("DataLoader.__init__")
def test_ctoi_and_itoc_are_inverse_maps(shakespeare_text):
    loader = play_loader(shakespeare_text)
    assert sorted(loader.itoc) == list(range(loader.vocab_size)), (
        _("itoc should map every id 0..{last} to a character, its keys are {itoc}").format(
            last=loader.vocab_size - 1, itoc=sorted(loader.itoc))
    )
    assert set(loader.ctoi) == set(shakespeare_text), _("ctoi should have one entry per character of the text")
    for character, index in loader.ctoi.items():
        assert loader.itoc[index] == character, (
            _("ctoi[{character!r}] = {index} but itoc[{index}] = {itoc!r}: the two maps must be inverse").format(
                character=character, index=index, itoc=loader.itoc[index])
        )


@pytest.mark.kata("DataLoader.encode")
def test_encode_gives_ids_in_sorted_character_order():
    loader = build_loader(HELLO)
    # sorted(set("Hello World!")) = [' ', '!', 'H', 'W', 'd', 'e', 'l', 'o', 'r']
    encoded = loader.encode(HELLO)
    assert list(encoded) == [2, 5, 6, 6, 7, 0, 3, 7, 8, 6, 4, 1], (
        _("encode({hello!r}) should be [2, 5, 6, 6, 7, 0, 3, 7, 8, 6, 4, 1], got {encoded}: ids follow the sorted "
          "vocabulary, ' ' = 0, '!' = 1, 'H' = 2, ...").format(hello=HELLO, encoded=list(encoded))
    )
    assert loader.vocab_size == 9, _("{hello!r} has 9 distinct characters, vocab_size is {vocab_size}").format(
                                       hello=HELLO, vocab_size=loader.vocab_size)


@pytest.mark.kata("DataLoader.decode")
def test_decode_undoes_encode_for_lists_and_tensors(shakespeare_text):
    loader = play_loader(shakespeare_text)
    passage = shakespeare_text[1000:1300]
    ids = loader.encode(passage)
    assert loader.decode(ids) == passage, _("decode(encode(s)) should give back s: ''.join of itoc[i] for every id i")
    as_tensor = torch.tensor(ids, dtype=torch.long)
    accepts_tensors = (
        _("decode should accept a 1-D tensor of ids too (a model's output is a tensor): keep the given line that "
          "turns a tensor into a list of ints (indices.tolist()) before the lookup")
    )
    try:
        decoded = loader.decode(as_tensor)
    except (KeyError, TypeError) as error:
        raise AssertionError(_("decode(tensor) raised {error_type}: {error}. {accepts_tensors}").format(
            error_type=type(error).__name__, error=error, accepts_tensors=accepts_tensors)) from error
    assert decoded == passage, accepts_tensors


# ---------------------------------------------------------------- data and split


@pytest.mark.kata("DataLoader.__init__")
def test_data_is_the_whole_text_encoded_as_a_long_tensor(shakespeare_text):
    text = no_repeats_text(30)
    loader = build_loader(text)
    sorted_characters = sorted(text)
    expected = [sorted_characters.index(character) for character in text]
    assert isinstance(loader.data, torch.Tensor) and loader.data.dtype == torch.long, (
        _("data should be a LongTensor (torch.long ids), got {data_type} {dtype}").format(
            data_type=type(loader.data).__name__, dtype=getattr(loader.data, 'dtype', ''))
    )
    assert_shape(loader.data, (len(text),), "(N,)", _("data, one id per character of the text"))
    assert loader.data.tolist() == expected, (
        _("data should be encode(text): the id of every character in text order, ids following the sorted vocabulary")
    )

    play = play_loader(shakespeare_text)
    assert_shape(play.data, (len(shakespeare_text),), "(N,)", _("data of the whole play"))
    assert play.data.dtype == torch.long, _("data should hold torch.long ids, got {dtype}").format(
                                              dtype=play.data.dtype)
    play_ids = {character: index for index, character in enumerate(sorted(set(shakespeare_text)))}
    assert play.data[-200:].tolist() == [play_ids[character] for character in shakespeare_text[-200:]], (
        _("the end of data should be the ids of the play's last characters")
    )


@pytest.mark.kata("DataLoader.split_data")
@pytest.mark.parametrize("length", [101, 239])
def test_split_is_the_first_90_percent_for_training_and_the_rest_for_validation(length):
    loader = build_loader(no_repeats_text(length))
    split_point = int(0.9 * length)
    assert len(loader.train_data) == split_point, (
        _("with N = {length} tokens the train split should hold the first int(0.9 * N) = {split_point}, got "
          "{train_data_count}").format(
            length=length, split_point=split_point, train_data_count=len(loader.train_data))
    )
    assert torch.equal(loader.train_data, loader.data[:split_point]), (
        _("train_data should be data[:{split_point}]: the first 90 % of the text, unshuffled (the split point)").format(
            split_point=split_point)
    )
    assert torch.equal(loader.val_data, loader.data[split_point:]), (
        _("val_data should be data[{split_point}:]: everything after the split point, the last 10 %").format(
            split_point=split_point)
    )


@pytest.mark.kata("DataLoader.__init__")  # the attributes __init__ fills
def test_the_play_is_split_at_90_percent(shakespeare_text):
    loader = play_loader(shakespeare_text)
    split_point = int(0.9 * len(shakespeare_text))
    assert len(loader.train_data) == split_point and len(loader.val_data) == len(shakespeare_text) - split_point, (
        _("the play's split should be {split_point} train and {val_count} val tokens, got {train_data_count} and "
          "{val_data_count}").format(
            split_point=split_point,
            val_count=len(shakespeare_text) - split_point,
            train_data_count=len(loader.train_data),
            val_data_count=len(loader.val_data))
    )


@pytest.mark.kata("DataLoader.split_data")
def test_split_data_returns_the_train_and_val_split():
    loader = build_loader(no_repeats_text(101))
    train_data, val_data = loader.split_data()
    assert torch.equal(train_data, loader.data[:90]) and torch.equal(val_data, loader.data[90:]), (
        _("split_data() should return (data[:int(0.9 * N)], data[int(0.9 * N):]), the 90/10 split")
    )
    assert torch.equal(train_data, loader.train_data) and torch.equal(val_data, loader.val_data), (
        _("split_data() should return the same split as train_data and val_data")
    )


# ---------------------------------------------------------------- batches


@pytest.mark.kata("DataLoader.get_batch")
@pytest.mark.parametrize("split", ["train", "val"])
def test_batches_are_B_by_T_long_tensors(split):
    loader = build_loader(no_repeats_text(200), batch_size=3, input_sequence_length=5)
    inputs, targets = draw_batch(loader, split)
    assert_shape(inputs, (3, 5), "(batch_size, input_sequence_length)", _("{split} inputs").format(split=split))
    assert_shape(targets, (3, 5), "(batch_size, input_sequence_length)", _("{split} targets").format(split=split))
    assert inputs.dtype == torch.long and targets.dtype == torch.long, (
        _("inputs and targets should be token ids, dtype torch.long, got {dtype} and {targets_dtype}").format(
            dtype=inputs.dtype, targets_dtype=targets.dtype)
    )


@pytest.mark.kata("DataLoader.get_batch")
def test_batches_land_on_the_configured_device():
    loader = build_loader(no_repeats_text(200), device_type="cpu")
    inputs, targets = loader.get_batch("train")
    assert inputs.device.type == "cpu" and targets.device.type == "cpu", _("device_type='cpu' should give CPU batches")
    # "meta" is a device every machine has: its tensors have shapes and dtypes but no values.
    # A batch that stays on the CPU here is a batch that would never reach a GPU either.
    loader = build_loader(no_repeats_text(200), device_type="meta")
    try:
        inputs, targets = loader.get_batch("train")
    except RuntimeError as error:
        if "meta" in str(error):
            return  # start positions made on the device can't be read back on "meta" (they can on a GPU)
        raise
    assert inputs.device.type == "meta" and targets.device.type == "meta", (
        _("with device_type='meta' the batch should be on the meta device, got inputs on {device}, targets on "
          "{targets_device}: move both to "
          "config.device_type").format(device=inputs.device, targets_device=targets.device)
    )


@pytest.mark.kata("DataLoader.get_batch")
@pytest.mark.parametrize("split", ["train", "val"])
def test_windows_are_contiguous_slices_of_their_split_and_targets_are_shifted_by_one(split):
    loader = build_loader(no_repeats_text(200), batch_size=16, input_sequence_length=6)
    inputs, targets = draw_batch(loader, split)
    assert_shape(inputs, (16, 6), "(batch_size, input_sequence_length)", _("{split} inputs").format(split=split))
    split_tokens = loader.train_data if split == "train" else loader.val_data
    window_starts(inputs, targets, split_tokens, split)


@pytest.mark.kata("DataLoader.get_batch")
@pytest.mark.parametrize("split", ["train", "val"])
def test_every_start_position_from_first_to_last_window_can_be_drawn(split):
    block = 4
    loader = build_loader(no_repeats_text(80), batch_size=250, input_sequence_length=block)
    split_tokens = loader.train_data if split == "train" else loader.val_data
    last_start = len(split_tokens) - block - 1
    seen = set()
    for _unused in range(8):
        inputs, targets = draw_batch(loader, split)
        starts = window_starts(inputs, targets, split_tokens, split)
        assert len(set(starts)) > 1, (
            _("all {starts_count} rows of one {split!r} batch start at {starts}: every row needs a random start of "
              "its own").format(starts_count=len(starts), split=split, starts=starts[0])
        )
        seen.update(starts)
    assert max(seen) <= last_start, (
        _("a window started at {start}, but with {split_tokens_count} {split} tokens and T = {block} the last start is "
          "len - T - 1 = {last_start}: a later window runs past the end").format(
            start=max(seen), split_tokens_count=len(split_tokens), split=split, block=block, last_start=last_start)
    )
    assert 0 in seen, _("in 2000 draws no {split!r} window started at 0: the first window must be possible").format(
                          split=split)
    assert last_start in seen, (
        _("in 2000 draws no {split!r} window started at {last_start} = len - T - 1, the last possible start: off by "
          "one? torch.randint(len(data) - T, ...) draws 0 .. len - T - 1").format(split=split, last_start=last_start)
    )
    missing = sorted(set(range(last_start + 1)) - seen)
    assert not missing, (
        _("in 2000 draws these {split!r} starts never came up: {missing}: every start 0..{last_start} must be "
          "possible").format(split=split, missing=missing, last_start=last_start)
    )


@pytest.mark.kata("DataLoader.get_batch")
def test_batches_of_the_play_are_windows_of_its_text(shakespeare_text):
    loader = play_loader(shakespeare_text)
    inputs, targets = loader.get_batch("train")
    config = make_config()
    expected_shape = (config.batch_size, config.input_sequence_length)
    assert_shape(inputs, expected_shape, "(batch_size, input_sequence_length)", "inputs")
    assert_shape(targets, expected_shape, "(batch_size, input_sequence_length)", "targets")
    assert torch.equal(targets[:, :-1], inputs[:, 1:]), _("targets should be the inputs shifted by one token")
    characters = sorted(set(shakespeare_text))
    train_text = shakespeare_text[: int(0.9 * len(shakespeare_text))]
    for row_inputs, row_targets in zip(inputs, targets, strict=True):
        window = "".join(characters[index] for index in row_inputs.tolist()) + characters[int(row_targets[-1])]
        assert window in train_text, (
            _("{window!r} (inputs plus the last target, read with the sorted vocabulary) is not a passage of the "
              "training text: are the ids in sorted character order, and the windows cut from train_data?").format(
                window=window)
        )


# ---------------------------------------------------------------- bad input


@pytest.mark.kata("DataLoader.__init__")
def test_a_text_shorter_than_one_window_is_rejected():
    build_loader("abcdefghi", input_sequence_length=8)  # 9 characters: exactly one window and its next character
    try:
        build_loader("abcdefgh", input_sequence_length=8)
    except ValueError as error:
        message = str(error)
    else:
        raise AssertionError(
            _("an 8-character text with input_sequence_length = 8 has no window plus next character: DataLoader "
              "should raise ValueError naming input_sequence_length")
        )
    assert "input_sequence_length" in message, (
        _("the error for a too-short text should name input_sequence_length, got: {message}").format(message=message)
    )


@pytest.mark.kata("DataLoader.encode")
def test_encoding_an_unknown_character_names_it():
    loader = build_loader(HELLO)
    assert list(loader.encode("Hello")) == [2, 5, 6, 6, 7], (
        _("encode('Hello') should be [2, 5, 6, 6, 7] (ids in sorted vocabulary order)")
    )
    try:
        encoded = loader.encode("Hello?")
    except (ValueError, KeyError) as error:
        message = str(error)
    else:
        raise AssertionError(
            _("encode('Hello?') returned {encoded}, but '?' is not in the vocabulary of {hello!r}: raise an error "
              "naming it").format(encoded=encoded, hello=HELLO)
        )
    assert "?" in message, _("the error for an unknown character should name it ('?'), got: {message}").format(
                               message=message)


@pytest.mark.kata("DataLoader.get_batch")
def test_an_unknown_split_name_is_rejected():
    loader = build_loader(no_repeats_text(200))
    draw_batch(loader, "val")
    try:
        loader.get_batch("test")
    except ValueError as error:
        message = str(error)
    else:
        raise AssertionError(
            _("get_batch('test') returned a batch: raise ValueError naming the allowed splits 'train' and 'val'")
        )
    assert "train" in message and "val" in message, (
        _("the error for split='test' should name the allowed splits 'train' and 'val', got: {message}").format(
            message=message)
    )


@pytest.mark.kata("DataLoader.get_batch")
def test_successive_batches_differ_and_get_batch_leaves_the_random_seed_alone():
    loader = build_loader(no_repeats_text(200), batch_size=8, input_sequence_length=6)
    after = []
    for seed in (1, 2):
        torch.manual_seed(seed)
        draw_batch(loader, "train")
        after.append(torch.rand(8))
    assert not torch.equal(after[0], after[1]), (
        _("get_batch resets the global random state: after it, torch.rand gives the same numbers whatever the seed "
          "before it. A torch.manual_seed inside get_batch makes every batch of a run the same one: seed once, "
          "outside (the training script does), and let get_batch draw from the running random state")
    )
    first, second = draw_batch(loader, "train"), draw_batch(loader, "train")
    assert not torch.equal(first[0], second[0]), (
        _("two calls of get_batch gave the same batch: the start positions must be drawn anew on every call (a "
          "generator seeded inside get_batch repeats its draws)")
    )
