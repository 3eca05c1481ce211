"""Chapter 03 — PositionEmbedding. All fail with NotImplementedError at first."""

import pytest
import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from kata_tools.i18n import _
from kata_tools.testing import assert_shape, chapter_module, parameter_count

position_embedding = chapter_module("chapter03_position_embedding")

BLOCK, EMBEDDING_DIM = 8, 6  # input_sequence_length (the longest T) and C


LETS_HE = [[24, 43, 58, 5, 57, 1, 46, 43]]  # the tutorial's input "Let's he", shape (1, 8)
# The tutorial's seeded position table (torch.manual_seed(1337), nn.Embedding(65, 8), then nn.Embedding(8, 8);
# Chapter 03, Section 1), printed with 2 decimals.
POSITION_WEIGHT = [
    [0.45, -1.17, 1.60, -0.83, 0.33, 0.76, -0.66, -0.43],
    [0.34, -0.34, 0.59, 1.01, -2.68, 0.46, 0.44, -0.95],
    [-1.19, 1.36, 0.59, 0.35, 1.53, 0.41, -0.30, 0.12],
    [-0.88, 0.83, 0.46, 0.08, 1.14, 1.45, -0.42, -0.24],
    [-0.28, -0.42, -0.62, 0.26, 1.78, 0.68, 0.84, -0.14],
    [-0.42, 0.12, 0.30, 0.82, 0.89, -0.21, 0.61, -2.47],
    [-1.39, 1.31, 1.38, 0.35, 0.62, 1.05, -0.36, 1.35],
    [-0.17, 1.35, 0.01, -0.37, -0.14, -0.73, 0.38, 1.99],
]
PRINTED = 0.006  # the tutorial prints 2 decimals


def rounded(values):
    return [round(float(value), 2) for value in values]


@pytest.mark.kata("position_table")
def test_position_table_is_the_tutorials_seeded_8_by_8_table():
    torch.manual_seed(1337)
    nn.Embedding(65, 8)  # the tutorial's token table, drawn first
    table = position_embedding.position_table(8, 8)
    assert isinstance(table, nn.Embedding), (
        _("the tutorial's position table is an nn.Embedding(input_sequence_length, embedding_dim), got "
          "{table_type}").format(table_type=type(table).__name__)
    )
    assert_shape(table.weight, (8, 8), "(input_sequence_length, C)", _("the position table's weight"))
    for position in range(8):
        row = table.weight[position].detach()
        assert torch.allclose(row, torch.tensor(POSITION_WEIGHT[position]), atol=PRINTED), (
            _("the tutorial's row {position} after torch.manual_seed(1337) and the (65, 8) token table is "
              "{position_weight}; yours is {row}").format(
                position=position, position_weight=POSITION_WEIGHT[position], row=rounded(row))
        )


@pytest.mark.kata("position_table")
def test_position_table_has_one_row_per_position():
    table = position_embedding.position_table(BLOCK, EMBEDDING_DIM)
    assert isinstance(table, nn.Embedding), _("the table should be an nn.Embedding, got {table_type}").format(
                                                table_type=type(table).__name__)
    assert_shape(table.weight, (BLOCK, EMBEDDING_DIM), "(input_sequence_length, C)", _("one row per position"))


@pytest.mark.kata("lookup_one_position")
def test_lookup_one_position_gives_row_2_as_a_1_by_8_tensor():
    torch.manual_seed(1337)
    nn.Embedding(65, 8)
    table = nn.Embedding(8, 8)
    vector = position_embedding.lookup_one_position(table, 2)
    assert_shape(vector, (1, 8), "(1, C)", _("the vector of position 2 (the lookup of torch.tensor([2]))"))
    assert torch.allclose(vector[0].detach(), torch.tensor(POSITION_WEIGHT[2]), atol=PRINTED), (
        _("the tutorial's lookup of torch.tensor([2]) is row 2 of the table, {position_weight}; yours is "
          "{vector}").format(position_weight=POSITION_WEIGHT[2], vector=rounded(vector[0]))
    )
    assert torch.equal(position_embedding.lookup_one_position(table, 5), table.weight[5:6]), (
        _("position 5 should give row 5 of the table, shape (1, C)")
    )


@pytest.mark.kata("position_indices")
def test_position_indices_count_0_to_T_minus_1_whatever_the_ids():
    positions = position_embedding.position_indices(torch.tensor(LETS_HE))
    assert isinstance(positions, torch.Tensor), _("the positions should be a tensor, got {positions_type}").format(
                                                    positions_type=type(positions).__name__)
    assert positions.tolist() == list(range(8)), (
        _("the tutorial's positions for its (1, 8) input are torch.arange(8) = [0, 1, ..., 7]; yours are "
          "{positions}: positions count from 0, and come from the length T, not from the token ids").format(
            positions=positions.tolist())
    )
    assert positions.dtype == torch.long, (
        _("positions index a table, so their dtype is torch.long, got {dtype}").format(dtype=positions.dtype)
    )
    short = position_embedding.position_indices(torch.tensor([[9, 9, 9], [4, 2, 0]]))
    assert short.tolist() == [0, 1, 2], _("a (2, 3) batch has positions [0, 1, 2] (T = 3), yours {short}").format(
                                            short=short.tolist())


@pytest.mark.kata("position_indices")
def test_position_indices_are_made_on_the_device_of_the_input():
    positions = position_embedding.position_indices(torch.zeros(2, 4, dtype=torch.long, device="meta"))
    assert positions.device.type == "meta", (
        _("ids on the 'meta' device (standing in for a GPU) gave positions on {device}: torch.arange(T, "
          "device=input_indices.device)").format(device=positions.device)
    )


@pytest.mark.kata("position_vectors")
def test_position_vectors_of_the_tutorials_input_are_the_whole_table():
    torch.manual_seed(1337)
    nn.Embedding(65, 8)
    table = nn.Embedding(8, 8)
    vectors = position_embedding.position_vectors(table, torch.tensor(LETS_HE))
    assert_shape(vectors, (8, 8), "(T, C)", _("position vectors (no batch dimension: broadcasting adds it)"))
    for position in range(8):
        assert torch.allclose(vectors[position].detach(), torch.tensor(POSITION_WEIGHT[position]), atol=PRINTED), (
            _("the tutorial's vector of position {position} is {position_weight} (row {position} of the table); "
              "yours is {vectors}").format(
                position=position, position_weight=POSITION_WEIGHT[position], vectors=rounded(vectors[position]))
        )


@pytest.mark.kata("position_vectors")
def test_position_vectors_depend_on_the_length_only():
    table = nn.Embedding(BLOCK, EMBEDDING_DIM)
    vectors = position_embedding.position_vectors(table, torch.tensor([[7, 3, 3], [2, 6, 4]]))
    assert_shape(vectors, (3, EMBEDDING_DIM), "(T, C)", _("position vectors of a (2, 3) batch"))
    assert torch.equal(vectors, table.weight[:3]), (
        _("a batch of T = 3 should get rows 0, 1, 2 of the table, whatever its token ids")
    )


@pytest.mark.kata("PositionEmbedding.__init__")
def test_layer_has_one_row_per_position():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    assert_shape(
        module.position_embedding_layer.weight,
        (BLOCK, EMBEDDING_DIM),
        "(input_sequence_length, C)",
        _("position_embedding_layer.weight, one row per position"),
    )


@pytest.mark.kata("PositionEmbedding.forward")
@pytest.mark.parametrize("length", [BLOCK, 3, 1], ids=["T=block", "T=3", "T=1"])
def test_output_is_one_vector_per_position(length):
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    vectors = module(torch.randint(50, (2, length)))
    assert_shape(
        vectors,
        (length, EMBEDDING_DIM),
        "(T, C)",
        _("position vectors (one per position, no batch dimension: they are the same for every sequence)"),
    )


@pytest.mark.kata("PositionEmbedding.forward")
def test_vectors_depend_on_the_position_only_not_on_the_tokens():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    some_tokens = torch.tensor([[0, 1, 2, 3, 4], [5, 5, 5, 5, 5]])
    other_tokens = torch.tensor([[7, 3, 3, 0, 1], [2, 6, 4, 4, 9]])
    first, second = module(some_tokens), module(other_tokens)
    assert first.shape == second.shape and torch.equal(first, second), (
        _("two batches of the same length T = 5 but different token ids got different position vectors: position "
          "vectors must depend on the position only (torch.arange(T)), never on the token ids")
    )
    one_sequence = module(other_tokens[:1])
    assert torch.equal(one_sequence, first), _("the position vectors should not depend on the batch size either")


@pytest.mark.kata("PositionEmbedding.forward")
def test_row_t_is_the_vector_of_position_t():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    vectors = module(torch.zeros(3, 5, dtype=torch.long))
    assert_shape(vectors, (5, EMBEDDING_DIM), "(T, C)", _("position vectors"))
    weight = module.position_embedding_layer.weight
    for position in range(5):
        assert torch.equal(vectors[position], weight[position]), (
            _("row {position} of the output should be row {position} of position_embedding_layer.weight: the vector "
              "of position {position}").format(position=position)
        )


@pytest.mark.kata("PositionEmbedding.forward")  # it runs forward too
def test_position_vectors_are_learnable():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    weight = module.position_embedding_layer.weight
    assert any(parameter is weight for parameter in module.parameters()), (
        _("the position vectors should be a parameter of the module, or the optimiser never updates them")
    )
    assert parameter_count(module) == BLOCK * EMBEDDING_DIM, (
        _("the module should hold input_sequence_length * C = {expected} parameters, got {got}").format(
            expected=BLOCK * EMBEDDING_DIM, got=parameter_count(module))
    )
    assert weight.requires_grad, _("the position vectors do not require grad: they must stay learnable parameters")
    module(torch.zeros(2, 3, dtype=torch.long)).sum().backward()
    assert weight.grad is not None, _("no gradient reached the position vectors: they must be learnable parameters")
    used_rows = (weight.grad.abs().sum(dim=-1) > 0).tolist()
    assert used_rows == [position < 3 for position in range(BLOCK)], (
        _("a sequence of T = 3 should send gradient to positions 0, 1, 2 only, rows reached: {used_rows}").format(
            used_rows=used_rows)
    )


class OneDevicePerOperation(TorchFunctionMode):
    """Refuse, as a GPU does, any operation that mixes tensors of two devices.

    The tests must run on any laptop, so the "meta" device (shapes, no values)
    stands in for a GPU. Unlike a GPU it quietly accepts a CPU tensor next to
    its own; inside this mode it refuses, naming the operation.
    """

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        values = [*args, *kwargs.values()]
        values += [item for value in values if isinstance(value, (list, tuple)) for item in value]
        # 0-d tensors are plain numbers: a GPU takes those from the CPU too
        devices = {str(value.device) for value in values if isinstance(value, torch.Tensor) and value.dim() > 0}
        if len(devices) > 1:
            name = getattr(func, "__name__", str(func))
            raise AssertionError(
                _("{name} got tensors on two devices, {devices}: on a GPU this fails with 'Expected all tensors to "
                  "be on the same device'. Make the positions on the input's device: torch.arange(T, "
                  "device=input_indices.device)").format(name=name, devices=sorted(devices))
            )
        return func(*args, **kwargs)


@pytest.mark.kata("PositionEmbedding.forward")
def test_positions_are_made_on_the_device_of_the_input():
    devices = ["cpu", "meta"] + (["cuda"] if torch.cuda.is_available() else [])
    for device in devices:
        module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM).to(device)
        with OneDevicePerOperation():
            vectors = module(torch.zeros(2, 4, dtype=torch.long, device=device))
        assert vectors.device.type == device, (
            _("with the module and the ids on {device!r} the position vectors came back on {got}: make the "
              "positions on the input's device, torch.arange(T, device=input_indices.device)").format(
                device=device, got=vectors.device)
        )


@pytest.mark.kata("PositionEmbedding.forward")
def test_a_sequence_longer_than_the_block_is_rejected():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    module(torch.zeros(1, BLOCK, dtype=torch.long))
    try:
        module(torch.zeros(1, BLOCK + 1, dtype=torch.long))
    except (ValueError, IndexError) as error:
        message = str(error)
    else:
        raise AssertionError(
            _("T = {length} > input_sequence_length = {block}: there is no vector for position {block}, so forward "
              "should raise ValueError naming input_sequence_length").format(length=BLOCK + 1, block=BLOCK)
        )
    assert "input_sequence_length" in message, (
        _("T = {length} > input_sequence_length = {block} should be refused with an error naming "
          "input_sequence_length, got: {message}").format(length=BLOCK + 1, block=BLOCK, message=message)
    )


@pytest.mark.kata("PositionEmbedding.forward")
def test_every_row_of_the_table_receives_a_gradient():
    from kata_tools.testing import assert_every_entry_learns, make_config

    config = make_config(input_sequence_length=8, embedding_dim=6)
    module = position_embedding.PositionEmbedding(config.input_sequence_length, config.embedding_dim)
    output = module(torch.randint(5, (2, config.input_sequence_length)))
    assert_every_entry_learns(module, output, _("a sequence of the full length, every position 0..7"))
