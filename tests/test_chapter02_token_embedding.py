"""Chapter 02 — TokenEmbedding. All fail with NotImplementedError at first.

As in the tutorial the lookup is ``embed(input_indices)``; the kata's given
``forward`` calls it, so ``module(input_indices)`` gives the same vectors.
"""

import pytest
import torch
from torch import nn

from kata_tools.i18n import _
from kata_tools.testing import assert_shape, chapter_module, parameter_count

token_embedding = chapter_module("chapter02_token_embedding")

VOCAB_SIZE, EMBEDDING_DIM = 11, 6


LETS_HE = [[24, 43, 58, 5, 57, 1, 46, 43]]  # the tutorial's input "Let's he", shape (1, 8)
# The tutorial's seeded table (torch.manual_seed(1337), then nn.Embedding(65, 8)): its row 0, and the rows of
# "Let's he" looked up (Chapter 02, Sections 2 and 3), printed with 2 decimals.
ROW_0 = [0.18, -0.07, -0.36, -0.92, 0.63, 0.03, 0.95, 0.06]
LETS_HE_ROWS = [
    [0.19, -0.34, 1.80, 1.39, 1.08, -0.61, -0.46, 0.57],
    [-0.65, -0.69, 0.26, -1.27, 0.26, -0.64, 1.08, -0.80],
    [0.20, -1.57, -2.12, -1.18, 0.08, 0.65, -0.50, -0.22],
    [-0.51, -0.92, 0.55, -1.49, -1.21, 0.57, -0.60, -0.69],
    [-1.62, 0.45, 0.50, -0.77, -1.08, 0.00, 0.00, 0.08],
    [0.36, 1.17, -1.35, -0.51, 0.24, -0.24, -0.92, 1.54],
    [-0.38, -1.89, 0.56, 0.86, -0.85, 0.50, -0.97, -0.73],
    [-0.65, -0.69, 0.26, -1.27, 0.26, -0.64, 1.08, -0.80],
]
PRINTED = 0.006  # the tutorial prints 2 decimals


def rounded(values):
    return [round(float(value), 2) for value in values]


@pytest.mark.kata("embedding_table")
def test_embedding_table_is_the_tutorials_seeded_65_by_8_table():
    torch.manual_seed(1337)
    table = token_embedding.embedding_table(65, 8)
    assert isinstance(table, nn.Embedding), (
        _("the tutorial's table is an nn.Embedding(vocab_size, embedding_dim), got {table_type}").format(
            table_type=type(table).__name__)
    )
    assert_shape(table.weight, (65, 8), "(V, C)", _("the table's weight, the tutorial's Tensor Size: [65, 8]"))
    row = table.weight[0].detach()
    assert torch.allclose(row, torch.tensor(ROW_0), atol=PRINTED), (
        _("the tutorial's check point after torch.manual_seed(1337): row 0 is {expected}; yours is {row} (create the "
          "table right away, one nn.Embedding, nothing drawn before it)").format(expected=ROW_0, row=rounded(row))
    )
    assert table.weight.requires_grad, _("the table's weight must stay learnable (requires_grad)")


@pytest.mark.kata("embedding_table")
def test_embedding_table_has_one_row_per_id():
    table = token_embedding.embedding_table(VOCAB_SIZE, EMBEDDING_DIM)
    assert isinstance(table, nn.Embedding), (
        _("the table should be an nn.Embedding, got {table_type}").format(table_type=type(table).__name__)
    )
    assert_shape(table.weight, (VOCAB_SIZE, EMBEDDING_DIM), "(V, C)", _("the table's weight, one row per id"))


@pytest.mark.kata("lookup")
def test_lookup_of_lets_he_gives_the_tutorials_rows():
    torch.manual_seed(1337)
    table = nn.Embedding(65, 8)
    vectors = token_embedding.lookup(table, torch.tensor(LETS_HE))
    assert_shape(vectors, (1, 8, 8), "(B, T, C)", _('the embeddings of "Let\'s he"'))
    expected = torch.tensor(LETS_HE_ROWS)
    for t, token in enumerate(LETS_HE[0]):
        assert torch.allclose(vectors[0, t].detach(), expected[t], atol=PRINTED), (
            _("the tutorial's embedding of position {t} (id {token}) is {expected}, row {token} of the table; "
              "yours is {vectors}").format(
                t=t, token=token, expected=LETS_HE_ROWS[t], vectors=rounded(vectors[0, t]))
        )
    assert torch.equal(vectors[0], table.weight[torch.tensor(LETS_HE[0])]), (
        _("each id should be replaced by exactly its row of the table")
    )


@pytest.mark.kata("lookup")
def test_lookup_works_for_any_shape_and_keeps_the_gradient_path():
    table = nn.Embedding(VOCAB_SIZE, EMBEDDING_DIM)
    indices = torch.tensor([[3, 0, 3, 10], [7, 7, 1, 3]])
    vectors = token_embedding.lookup(table, indices)
    assert_shape(vectors, (2, 4, EMBEDDING_DIM), "(B, T, C)")
    assert torch.equal(vectors, table.weight[indices]), _("vectors[b, t] should be row indices[b, t] of the table")
    assert vectors.requires_grad, (
        _("the looked-up vectors carry no gradient back to the table, so it never learns: look the rows up through "
          "the table (table(input_indices)), not through table.weight.detach() or .data")
    )
    vectors.sum().backward()
    assert table.weight.grad is not None, (
        _("no gradient reached the table: look the rows up through the table (table(input_indices)), not through a "
          "detached copy")
    )


@pytest.mark.kata("TokenEmbedding.__init__")
def test_table_is_an_nn_embedding_with_one_row_per_id():
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    table = module.token_embedding_table
    assert isinstance(table, nn.Embedding), (
        _("token_embedding_table should be an nn.Embedding, got {table_type}").format(table_type=type(table).__name__)
    )
    assert_shape(table.weight, (VOCAB_SIZE, EMBEDDING_DIM), "(V, C)",
                 _("token_embedding_table.weight, one row per id"))


@pytest.mark.kata("TokenEmbedding.embed")
@pytest.mark.parametrize("leading_shape", [(2, 5), (7,), (2, 3, 4)], ids=["B,T", "T", "A,B,T"])
def test_output_has_one_vector_per_id_for_any_leading_shape(leading_shape):
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    indices = torch.randint(VOCAB_SIZE, leading_shape)
    names = "(" + ", ".join(["..."] * len(leading_shape)) + ", C)"
    assert_shape(
        module.embed(indices), (*leading_shape, EMBEDDING_DIM), names,
        _("embed() of ids of shape {leading_shape}").format(leading_shape=leading_shape)
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
                _("vectors[{b}, {t}] should be row {token} of the table, the vector of token id {token}").format(
                    b=b, t=t, token=token)
            )
    assert torch.equal(vectors[0, 0], vectors[1, 3]), (
        _("the same id (3) should give the same vector wherever it stands")
    )
    assert not torch.equal(vectors[0, 0], vectors[0, 1]), _("different ids (3 and 0) should give different vectors")
    assert torch.equal(module(indices), vectors), (
        _("module(input_indices) should give the same vectors as module.embed(input_indices): keep the given "
          "forward, which calls embed")
    )


@pytest.mark.kata("TokenEmbedding.embed")  # it runs embed too
def test_table_is_learnable():
    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    table = module.token_embedding_table.weight
    assert any(parameter is table for parameter in module.parameters()), (
        _("the table's weight should be a parameter of the module, or the optimiser never updates it")
    )
    assert parameter_count(module) == VOCAB_SIZE * EMBEDDING_DIM, (
        _("the module should hold V * C = {expected} parameters (the table), got {got}").format(
            expected=VOCAB_SIZE * EMBEDDING_DIM, got=parameter_count(module))
    )
    assert table.requires_grad, _("the table's weight does not require grad: it must stay a learnable parameter")
    module.embed(torch.tensor([[2, 5, 5]])).sum().backward()
    assert table.grad is not None, _("no gradient reached the table: its rows are parameters and must be learnable")
    used_rows = table.grad.abs().sum(dim=-1) > 0
    assert used_rows.tolist() == [index in (2, 5) for index in range(VOCAB_SIZE)], (
        _("the gradient should reach exactly the rows of the ids used (2 and 5), it reached "
          "rows {rows}").format(rows=used_rows.nonzero().flatten().tolist())
    )


@pytest.mark.kata("TokenEmbedding.embed")
def test_every_row_of_the_table_receives_a_gradient():
    from kata_tools.testing import assert_every_entry_learns

    module = token_embedding.TokenEmbedding(VOCAB_SIZE, EMBEDDING_DIM)
    indices = torch.cat([torch.arange(VOCAB_SIZE), torch.randint(VOCAB_SIZE, (9,))]).reshape(4, 5)
    assert_every_entry_learns(module, module(indices), _("every id 0..{last} in the input").format(last=VOCAB_SIZE - 1))
