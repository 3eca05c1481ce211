"""Chapter 02 — TokenEmbedding. All fail with NotImplementedError at first.

As in the tutorial the lookup is ``embed(input_indices)``; the kata's given
``forward`` calls it, so ``module(input_indices)`` gives the same vectors.
"""

import pytest
import torch
from torch import nn

from kata_tools.testing import assert_shape, chapter_module, parameter_count

token_embedding = chapter_module("chapter02_token_embedding")

VOCAB_SIZE, EMBEDDING_DIM = 11, 6


@pytest.mark.kata("TokenEmbedding.__init__")
def test_table_is_an_nn_embedding_with_one_row_per_id():
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    table = module.token_embedding_table
    assert isinstance(table, nn.Embedding), (
        f"token_embedding_table should be an nn.Embedding, got {type(table).__name__}"
    )
    assert_shape(table.weight, (VOCAB_SIZE, EMBEDDING_DIM), "(V, C)", "token_embedding_table.weight, one row per id")


@pytest.mark.kata("TokenEmbedding.embed")
@pytest.mark.parametrize("leading_shape", [(2, 5), (7,), (2, 3, 4)], ids=["B,T", "T", "A,B,T"])
def test_output_has_one_vector_per_id_for_any_leading_shape(leading_shape):
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    indices = torch.randint(VOCAB_SIZE, leading_shape)
    names = "(" + ", ".join(["..."] * len(leading_shape)) + ", C)"
    assert_shape(
        module.embed(indices), (*leading_shape, EMBEDDING_DIM), names, f"embed() of ids of shape {leading_shape}"
    )


@pytest.mark.kata("TokenEmbedding.embed")
def test_each_id_is_replaced_by_its_row_of_the_table():
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    indices = torch.tensor([[3, 0, 3, 10], [7, 7, 1, 3]])  # (B, T) = (2, 4)
    vectors = module.embed(indices)
    assert_shape(vectors, (2, 4, EMBEDDING_DIM), "(B, T, C)")
    table = module.token_embedding_table.weight
    for b in range(2):
        for t in range(4):
            token = int(indices[b, t])
            assert torch.equal(vectors[b, t], table[token]), (
                f"vectors[{b}, {t}] should be row {token} of the table, the vector of token id {token}"
            )
    assert torch.equal(vectors[0, 0], vectors[1, 3]), "the same id (3) should give the same vector wherever it stands"
    assert not torch.equal(vectors[0, 0], vectors[0, 1]), "different ids (3 and 0) should give different vectors"
    assert torch.equal(module(indices), vectors), (
        "module(input_indices) should give the same vectors as module.embed(input_indices): keep the given forward, "
        "which calls embed"
    )


@pytest.mark.kata("TokenEmbedding.__init__")
def test_table_is_learnable():
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    table = module.token_embedding_table.weight
    assert any(parameter is table for parameter in module.parameters()), (
        "the table's weight should be a parameter of the module, or the optimiser never updates it"
    )
    assert parameter_count(module) == VOCAB_SIZE * EMBEDDING_DIM, (
        f"the module should hold V * C = {VOCAB_SIZE * EMBEDDING_DIM} parameters (the table), "
        f"got {parameter_count(module)}"
    )
    assert table.requires_grad, "the table's weight does not require grad: it must stay a learnable parameter"
    module.embed(torch.tensor([[2, 5, 5]])).sum().backward()
    assert table.grad is not None, "no gradient reached the table: its rows are parameters and must be learnable"
    used_rows = table.grad.abs().sum(dim=-1) > 0
    assert used_rows.tolist() == [index in (2, 5) for index in range(VOCAB_SIZE)], (
        f"the gradient should reach exactly the rows of the ids used (2 and 5), it reached rows "
        f"{used_rows.nonzero().flatten().tolist()}"
    )


@pytest.mark.kata("TokenEmbedding.embed")
def test_every_row_of_the_table_receives_a_gradient():
    from kata_tools.testing import assert_every_entry_learns

    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    indices = torch.cat([torch.arange(VOCAB_SIZE), torch.randint(VOCAB_SIZE, (9,))]).reshape(4, 5)
    assert_every_entry_learns(module, module(indices), f"every id 0..{VOCAB_SIZE - 1} in the input")
