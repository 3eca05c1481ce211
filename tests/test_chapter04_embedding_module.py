"""Chapter 04 — EmbeddingModule. All fail with NotImplementedError at first."""

import pytest
import torch
from torch import nn

from kata_tools.i18n import _
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
            _("the token table is (input_sequence_length, C) = {tokens} and the position table is (V, C) = "
              "{positions}: they are swapped. The token table has a row per character (V = {vocab_size}), the position "
              "table a row per position (input_sequence_length = {block})").format(
                tokens=shapes[0], positions=shapes[1], vocab_size=VOCAB_SIZE, block=block)
        )
    assert_shape(tokens, (VOCAB_SIZE, width), "(V, C)", _("the token table"))
    assert_shape(positions, (block, width), "(input_sequence_length, C)", _("the position table"))


def rounded(tensor, count=4):
    """The first ``count`` numbers of a tensor, rounded to 2 decimals, as the tutorial prints them."""
    return [round(value, 2) for value in tensor.detach().flatten()[:count].tolist()]


# The tutorial's Chapter 04, Section 2 embeddings of "Let's he", [1, 8, 8]
# (std chain: seed 1337, then the token table, then the position table).
TUTORIAL_EMBEDDINGS = [
    [0.64, -1.51, 3.40, 0.56, 1.41, 0.14, -1.12, 0.14],
    [-0.31, -1.02, 0.84, -0.26, -2.42, -0.19, 1.52, -1.75],
    [-0.99, -0.21, -1.53, -0.83, 1.61, 1.06, -0.80, -0.09],
    [-1.39, -0.10, 1.01, -1.41, -0.06, 2.02, -1.02, -0.94],
    [-1.90, 0.03, -0.12, -0.51, 0.70, 0.68, 0.84, -0.06],
    [-0.06, 1.28, -1.05, 0.31, 1.13, -0.45, -0.31, -0.93],
    [-1.77, -0.58, 1.94, 1.21, -0.22, 1.55, -1.32, 0.62],
    [-0.82, 0.67, 0.26, -1.64, 0.13, -1.37, 1.46, 1.19],
]


def add_checked(token_embeddings, position_embeddings):
    """add_position_embeddings, with a broadcasting error explained in terms of the shapes."""
    try:
        return embedding_module.add_position_embeddings(token_embeddings, position_embeddings)
    except NotImplementedError:
        raise
    except RuntimeError as error:
        raise AssertionError(
            _("adding token embeddings (B, T, C) = {tokens} and position embeddings (T, C) = {positions} failed "
              "({error}): add them as they are, broadcasting lines the (T, C) block up with the last two dimensions "
              "of (B, T, C)").format(
                tokens=tuple(token_embeddings.shape), positions=tuple(position_embeddings.shape), error=error)
        ) from error


@pytest.mark.kata("add_position_embeddings")
def test_add_position_embeddings_gives_the_tutorials_embeddings_of_lets_he():
    with torch.random.fork_rng():
        torch.manual_seed(1337)
        token_table, position_table = nn.Embedding(65, 8), nn.Embedding(8, 8)
    tokens = torch.tensor([[24, 43, 58, 5, 57, 1, 46, 43]])  # "Let's he"
    token_embeddings = token_table(tokens).detach()  # (1, 8, 8)
    position_embeddings = position_table(torch.arange(8)).detach()  # (8, 8)
    embeddings = add_checked(token_embeddings, position_embeddings)
    assert_shape(embeddings, (1, 8, 8), "(B, T, C)", _('the embeddings of "Let\'s he"'))
    expected = torch.tensor([TUTORIAL_EMBEDDINGS])
    assert torch.allclose(embeddings, expected, atol=0.006), (
        _('the tutorial\'s check for "Let\'s he" (Chapter 04, Section 2) starts {tutorial_embeddings}; yours starts '
          "{embeddings}: the embeddings are token embeddings + position embeddings, entry by entry").format(
            tutorial_embeddings=TUTORIAL_EMBEDDINGS[0][:4], embeddings=rounded(embeddings))
    )


@pytest.mark.kata("add_position_embeddings")
def test_add_position_embeddings_adds_the_same_position_block_to_every_sequence():
    token_embeddings = torch.randn(3, 5, 6)  # (B, T, C): T != C, so a transposed block cannot fit by accident
    position_embeddings = torch.randn(5, 6)  # (T, C)
    embeddings = add_checked(token_embeddings, position_embeddings)
    if isinstance(embeddings, torch.Tensor) and tuple(embeddings.shape) == (3, 5, 12):
        raise AssertionError(
            _("the result is (B, T, 2 * C) = (3, 5, 12): the vectors were concatenated; add them, the width stays C")
        )
    assert_shape(embeddings, (3, 5, 6), "(B, T, C)")
    for b in range(3):
        assert torch.allclose(embeddings[b], token_embeddings[b] + position_embeddings, atol=1e-6), (
            _("sequence {b}: embeddings[b, t] should be token_embeddings[b, t] + position_embeddings[t], the same "
              "position vectors for every sequence of the batch").format(b=b)
        )


@pytest.mark.kata("EmbeddingModule.__init__")
def test_init_makes_a_token_embedding_and_a_position_embedding_of_width_embedding_dim():
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    for name, kind in (("token_embedding_layer", "TokenEmbedding"), ("position_embedding_layer", "PositionEmbedding")):
        layer = getattr(module, name, None)
        assert type(layer).__name__ == kind, (
            _("EmbeddingModule.__init__ should set self.{name} = {kind}(...); got {got}").format(
                name=name, kind=kind, got=type(layer).__name__ if layer is not None else _("no such attribute"))
        )
    assert_table_shapes(module)
    expected = (VOCAB_SIZE + 8) * 12
    assert parameter_count(module) == expected, (
        _("the module should hold (V + input_sequence_length) * C = ({vocab_size} + 8) * 12 = {expected} "
          "parameters, got {got}").format(vocab_size=VOCAB_SIZE, expected=expected, got=parameter_count(module))
    )


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
        _("vectors[b, t] should be the token vector of indices[b, t] plus the position vector of t, both taken from "
          "the module's own token_embedding_layer and position_embedding_layer")
    )


@pytest.mark.kata("EmbeddingModule.forward")
def test_the_same_token_at_two_positions_differs_by_the_position_vectors():
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    vectors = module(torch.full((1, 5), 4))  # token 4 at positions 0..4
    assert_shape(vectors, (1, 5, 12), "(B, T, C)")
    _unused, positions = token_and_position_tables(module)
    assert not torch.allclose(vectors[0, 1], vectors[0, 3]), (
        _("token 4 at positions 1 and 3 got the same vector: add the position vector of each position 0..T-1 (not "
          "one picked by the token id)")
    )
    assert torch.allclose(vectors[0, 3] - vectors[0, 1], positions[3] - positions[1], atol=1e-6), (
        _("the same token at positions 1 and 3 should differ by exactly position vector 3 minus position vector 1")
    )


@pytest.mark.kata("EmbeddingModule.forward")  # it runs forward too
def test_parameters_are_one_token_table_and_one_position_table():
    config = make_config(input_sequence_length=8, embedding_dim=12)
    module = embedding_module.EmbeddingModule(VOCAB_SIZE, config)
    tokens, positions = token_and_position_tables(module)
    assert_shape(tokens, (VOCAB_SIZE, 12), "(V, C)", _("the token table"))
    assert_shape(positions, (8, 12), "(input_sequence_length, C)", _("the position table"))
    expected = (VOCAB_SIZE + 8) * 12
    assert parameter_count(module) == expected, (
        _("the module should hold (V + input_sequence_length) * C = ({vocab_size} + 8) * 12 = {expected} parameters, "
          "got {got}").format(
            vocab_size=VOCAB_SIZE, expected=expected, got=parameter_count(module))
    )
    module(torch.randint(VOCAB_SIZE, (2, 8))).sum().backward()
    assert tokens.grad is not None and positions.grad is not None, (
        _("gradient should reach both the token table and the position table: both are used in forward")
    )
