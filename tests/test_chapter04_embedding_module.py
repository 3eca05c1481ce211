"""Chapter 04 — EmbeddingModule. All fail with NotImplementedError at first."""

import pytest
import torch

from kata_tools.testing import assert_shape, chapter_module, make_config, parameter_count

embedding_module = chapter_module("chapter04_embedding_module")

VOCAB_SIZE = 13


def token_and_position_tables(module):
    """The (V, C) token table and the (L, C) position table inside the module."""
    tokens = module.token_embedding_layer.token_embedding_table.weight
    positions = module.position_embedding_layer.position_embedding_layer.weight
    return tokens, positions


def assert_table_shapes(module, block=8, width=12):
    """The two tables' shapes, checked before the module runs: a swapped pair fails here, not in an IndexError."""
    try:
        tokens, positions = token_and_position_tables(module)
    except AttributeError:
        return  # named differently: the parameter test says so
    shapes = (tuple(tokens.shape), tuple(positions.shape))
    if shapes == ((block, width), (VOCAB_SIZE, width)):
        raise AssertionError(
            f"the token table is (input_sequence_length, C) = {shapes[0]} and the position table is (V, C) = "
            f"{shapes[1]}: they are swapped. The token table has a row per character (V = {VOCAB_SIZE}), the "
            f"position table a row per position (input_sequence_length = {block})"
        )
    assert_shape(tokens, (VOCAB_SIZE, width), "(V, C)", "the token table")
    assert_shape(positions, (block, width), "(input_sequence_length, C)", "the position table")


@pytest.mark.kata("EmbeddingModule.forward")
@pytest.mark.parametrize("length", [8, 5], ids=["T=block", "T<block"])
def test_output_is_one_vector_per_token_of_every_sequence(length):
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    assert_table_shapes(module)
    assert_shape(module(torch.randint(VOCAB_SIZE, (3, length))), (3, length, 12), "(B, T, C)")


@pytest.mark.kata("EmbeddingModule.forward")
def test_output_is_token_vector_plus_position_vector():
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    indices = torch.randint(VOCAB_SIZE, (3, 6))
    vectors = module(indices)
    assert_shape(vectors, (3, 6, 12), "(B, T, C)")
    tokens, positions = token_and_position_tables(module)
    expected = tokens[indices] + positions[:6]  # (B, T, C) + (T, C)
    assert torch.allclose(vectors, expected, atol=1e-6), (
        "vectors[b, t] should be the token vector of indices[b, t] plus the position vector of t, both taken "
        "from the module's own token_embedding_layer and position_embedding_layer"
    )


@pytest.mark.kata("EmbeddingModule.forward")
def test_the_same_token_at_two_positions_differs_by_the_position_vectors():
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    vectors = module(torch.full((1, 5), 4))  # token 4 at positions 0..4
    assert_shape(vectors, (1, 5, 12), "(B, T, C)")
    _, positions = token_and_position_tables(module)
    assert not torch.allclose(vectors[0, 1], vectors[0, 3]), (
        "token 4 at positions 1 and 3 got the same vector: add the position vector of each position 0..T-1 "
        "(not one picked by the token id)"
    )
    assert torch.allclose(vectors[0, 3] - vectors[0, 1], positions[3] - positions[1], atol=1e-6), (
        "the same token at positions 1 and 3 should differ by exactly position vector 3 minus position vector 1"
    )


@pytest.mark.kata("EmbeddingModule.__init__")
def test_parameters_are_one_token_table_and_one_position_table():
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    tokens, positions = token_and_position_tables(module)
    assert_shape(tokens, (VOCAB_SIZE, 12), "(V, C)", "the token table")
    assert_shape(positions, (8, 12), "(input_sequence_length, C)", "the position table")
    expected = (VOCAB_SIZE + 8) * 12
    assert parameter_count(module) == expected, (
        f"the module should hold (V + input_sequence_length) * C = ({VOCAB_SIZE} + 8) * 12 = {expected} parameters, "
        f"got {parameter_count(module)}"
    )
    module(torch.randint(VOCAB_SIZE, (2, 8))).sum().backward()
    assert tokens.grad is not None and positions.grad is not None, (
        "gradient should reach both the token table and the position table: both are used in forward"
    )
