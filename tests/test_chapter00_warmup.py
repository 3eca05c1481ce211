"""Chapter 00 — warm-up. All fail with NotImplementedError at first."""

import pytest
import torch

from kata_tools.testing import assert_shape, chapter_module

warmup = chapter_module("chapter00_warmup")


@pytest.mark.kata("last_position")
def test_last_position_takes_the_last_time_step_of_every_sequence():
    x = torch.arange(2 * 5 * 3).view(2, 5, 3)  # (B, T, C) = (2, 5, 3)
    result = warmup.last_position(x)
    assert_shape(result, (2, 3), "(B, C)")
    assert torch.equal(result, x[:, 4, :]), "last_position should return x[:, -1, :]: the vector at the last position"


@pytest.mark.kata("shift_by_one")
def test_shift_by_one_pairs_every_token_with_the_next():
    inputs, targets = warmup.shift_by_one(torch.tensor([5, 6, 7, 8]))
    assert inputs.tolist() == [5, 6, 7], f"inputs should be every token but the last, got {inputs.tolist()}"
    assert targets.tolist() == [6, 7, 8], f"targets should be every token but the first, got {targets.tolist()}"


@pytest.mark.kata("causal_mask")
def test_causal_mask_is_lower_triangular_ones():
    mask = warmup.causal_mask(4)
    assert_shape(mask, (4, 4), "(T, T)")
    for row in range(4):
        for column in range(4):
            expected = 1.0 if column <= row else 0.0
            assert float(mask[row, column]) == expected, (
                f"mask[{row}, {column}] should be {expected:g}: position {row} may see positions 0..{row} only"
            )


@pytest.mark.kata("mask_future")
def test_mask_future_puts_minus_infinity_above_the_diagonal_only():
    scores = torch.randn(2, 4, 4)
    masked = warmup.mask_future(scores)
    assert_shape(masked, (2, 4, 4), "(B, T, T)")
    future = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
    assert torch.isneginf(masked[:, future]).all(), "every score above the diagonal (the future) should be -inf"
    assert torch.equal(masked[:, ~future], scores[:, ~future]), "scores on and below the diagonal must stay unchanged"


@pytest.mark.kata("softmax_rows")
def test_softmax_rows_normalises_the_last_dimension():
    scores = torch.randn(3, 5)
    probabilities = warmup.softmax_rows(scores)
    assert_shape(probabilities, (3, 5), "(rows, T)")
    row_sums = probabilities.sum(dim=-1)
    assert torch.allclose(row_sums, torch.ones(3)), (
        f"each row should sum to 1, got {row_sums.tolist()}: is the softmax taken over dim=-1?"
    )
    assert torch.allclose(probabilities, torch.exp(scores) / torch.exp(scores).sum(-1, keepdim=True))


@pytest.mark.kata("attention_scores")
def test_attention_scores_are_query_key_dot_products():
    queries, keys = torch.randn(2, 4, 3), torch.randn(2, 4, 3)
    scores = warmup.attention_scores(queries, keys)
    assert_shape(scores, (2, 4, 4), "(B, T, T)")
    assert torch.allclose(scores[1, 2, 3], queries[1, 2] @ keys[1, 3]), (
        "scores[b, t, s] should be queries[b, t] · keys[b, s]: multiply by keys.transpose(-2, -1)"
    )
    assert torch.allclose(scores, torch.einsum("bth,bsh->bts", queries, keys), atol=1e-6)


@pytest.mark.kata("concat_heads")
def test_concat_heads_joins_on_the_feature_dimension_in_order():
    heads = [torch.full((2, 3, 4), float(index)) for index in range(3)]
    joined = warmup.concat_heads(heads)
    assert_shape(joined, (2, 3, 12), "(B, T, n * H)")
    for index in range(3):
        assert (joined[..., index * 4 : (index + 1) * 4] == index).all(), (
            f"features {index * 4}..{index * 4 + 3} should come from head {index}: join on dim=-1, in list order"
        )


@pytest.mark.kata("flatten_for_cross_entropy")
def test_flatten_for_cross_entropy_keeps_logits_and_targets_paired():
    logits = torch.randn(2, 3, 5)
    targets = torch.randint(5, (2, 3))
    flat_logits, flat_targets = warmup.flatten_for_cross_entropy(logits, targets)
    assert_shape(flat_logits, (6, 5), "(B * T, V)", "logits")
    assert_shape(flat_targets, (6,), "(B * T,)", "targets")
    for b in range(2):
        for t in range(3):
            row = b * 3 + t
            assert torch.equal(flat_logits[row], logits[b, t]) and flat_targets[row] == targets[b, t], (
                f"row {row} should hold position (b={b}, t={t}) of both logits and targets"
            )
