"""Chapter 03 — PositionEmbedding. All fail with NotImplementedError at first."""

import pytest
import torch
from torch.overrides import TorchFunctionMode

from kata_tools.testing import assert_shape, chapter_module, parameter_count

position_embedding = chapter_module("chapter03_position_embedding")

BLOCK, EMBEDDING_DIM = 8, 6  # input_sequence_length (the longest T) and C


@pytest.mark.kata("PositionEmbedding.__init__")
def test_layer_has_one_row_per_position():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    assert_shape(
        module.position_embedding_layer.weight,
        (BLOCK, EMBEDDING_DIM),
        "(input_sequence_length, C)",
        "position_embedding_layer.weight, one row per position",
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
        "position vectors (one per position, no batch dimension: they are the same for every sequence)",
    )


@pytest.mark.kata("PositionEmbedding.forward")
def test_vectors_depend_on_the_position_only_not_on_the_tokens():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    some_tokens = torch.tensor([[0, 1, 2, 3, 4], [5, 5, 5, 5, 5]])
    other_tokens = torch.tensor([[7, 3, 3, 0, 1], [2, 6, 4, 4, 9]])
    first, second = module(some_tokens), module(other_tokens)
    assert first.shape == second.shape and torch.equal(first, second), (
        "two batches of the same length T = 5 but different token ids got different position vectors: position "
        "vectors must depend on the position only (torch.arange(T)), never on the token ids"
    )
    one_sequence = module(other_tokens[:1])
    assert torch.equal(one_sequence, first), "the position vectors should not depend on the batch size either"


@pytest.mark.kata("PositionEmbedding.forward")
def test_row_t_is_the_vector_of_position_t():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    vectors = module(torch.zeros(3, 5, dtype=torch.long))
    assert_shape(vectors, (5, EMBEDDING_DIM), "(T, C)", "position vectors")
    weight = module.position_embedding_layer.weight
    for position in range(5):
        assert torch.equal(vectors[position], weight[position]), (
            f"row {position} of the output should be row {position} of position_embedding_layer.weight: "
            f"the vector of position {position}"
        )


@pytest.mark.kata("PositionEmbedding.__init__")
def test_position_vectors_are_learnable():
    module = position_embedding.PositionEmbedding(BLOCK, EMBEDDING_DIM)
    weight = module.position_embedding_layer.weight
    assert any(parameter is weight for parameter in module.parameters()), (
        "the position vectors should be a parameter of the module, or the optimiser never updates them"
    )
    assert parameter_count(module) == BLOCK * EMBEDDING_DIM, (
        f"the module should hold input_sequence_length * C = {BLOCK * EMBEDDING_DIM} parameters, "
        f"got {parameter_count(module)}"
    )
    assert weight.requires_grad, "the position vectors do not require grad: they must stay learnable parameters"
    module(torch.zeros(2, 3, dtype=torch.long)).sum().backward()
    assert weight.grad is not None, "no gradient reached the position vectors: they must be learnable parameters"
    used_rows = (weight.grad.abs().sum(dim=-1) > 0).tolist()
    assert used_rows == [position < 3 for position in range(BLOCK)], (
        f"a sequence of T = 3 should send gradient to positions 0, 1, 2 only, rows reached: {used_rows}"
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
                f"{name} got tensors on two devices, {sorted(devices)}: on a GPU this fails with 'Expected all "
                "tensors to be on the same device'. Make the positions on the input's device: "
                "torch.arange(T, device=input_indices.device)"
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
            f"with the module and the ids on {device!r} the position vectors came back on {vectors.device}: "
            "make the positions on the input's device, torch.arange(T, device=input_indices.device)"
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
            f"T = {BLOCK + 1} > input_sequence_length = {BLOCK}: there is no vector for position {BLOCK}, "
            "so forward should raise ValueError naming input_sequence_length"
        )
    assert "input_sequence_length" in message, (
        f"T = {BLOCK + 1} > input_sequence_length = {BLOCK} should be refused with an error naming "
        f"input_sequence_length, got: {message}"
    )


@pytest.mark.kata("PositionEmbedding.forward")
def test_every_row_of_the_table_receives_a_gradient():
    from kata_tools.testing import assert_every_entry_learns, make_config

    config = make_config(input_sequence_length=8, embedding_dim=6)
    module = position_embedding.PositionEmbedding(config.input_sequence_length, config.embedding_dim)
    output = module(torch.randint(5, (2, config.input_sequence_length)))
    assert_every_entry_learns(module, output, "a sequence of the full length, every position 0..7")
