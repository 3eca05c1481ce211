"""Chapter 06 — AttentionHead. All fail with NotImplementedError at first.

The head is checked by what it does, never by how it is written:

* causality by experiment: change one position, see which outputs move;
* the attention weights, read where they pass through ``self.dropout``
  (in eval mode dropout hands its input through unchanged);
* the output, recomputed here from the head's own ``key_fc``, ``query_fc``
  and ``value_fc`` weights.

When a check fails, the test also tries the classic mistakes (no mask, the
mask after the softmax, the wrong scale, the wrong softmax axis, values from
the wrong projection, ...) and says which one your numbers match.
"""

import itertools
import math

import pytest
import torch
from _chapter06_diagnosis import attention_weights, diagnosis, future_mask, project
from torch import nn

from kata_tools.testing import (
    TOLERANCE,
    assert_shape,
    call_explained,
    chapter_module,
    make_config,
    parameter_count,
    parameter_count_message,
)

attention = chapter_module("chapter06_attention_head")

BATCH = 2
EMBEDDING_DIM = 12  # C: deliberately not the head size, so the two scales differ
HEAD_SIZE = 4  # H
BLOCK = 8  # input_sequence_length; also != HEAD_SIZE, so (B, T, T) and (B, T, H) differ


def make_head(dropout_rate=0.0):
    config = make_config(embedding_dim=EMBEDDING_DIM, input_sequence_length=BLOCK, dropout_rate=dropout_rate)
    return attention.AttentionHead(HEAD_SIZE, config).eval()


def random_input(length=BLOCK):
    return torch.randn(BATCH, length, EMBEDDING_DIM)


def run(head, x):
    """head(x), with any crash explained in terms of the shapes involved."""
    length = x.shape[1]
    hint = (f" The input is shorter than the block (T = {length} < input_sequence_length = {BLOCK}): "
            f"a mask made for the full length must be cut to the current one, tril[:T, :T].") if length < BLOCK else ""
    return call_explained(head, x, "AttentionHead on x (B, T, C)", hint)


# ---------------------------------------------------------------- what attention should compute


def expected_weights(head, x):
    return attention_weights(project(head.query_fc, x), project(head.key_fc, x), HEAD_SIZE**-0.5)


def expected_output(head, x):
    return expected_weights(head, x) @ project(head.value_fc, x)


def captured_weights(head, x):
    """Run ``head(x)`` and return (output, what self.dropout received, what it gave back) for the (B, T, T) call."""
    dropout = getattr(head, "dropout", None)
    assert isinstance(dropout, nn.Module), (
        "AttentionHead needs self.dropout = nn.Dropout(config.dropout_rate), applied to the attention weights"
    )
    seen = []
    handle = dropout.register_forward_hook(lambda module, inputs, result: seen.append((inputs[0], result)))
    try:
        output = run(head, x)
    finally:
        handle.remove()
    assert seen, (
        "AttentionHead must pass the attention weights through self.dropout: weights = self.dropout(weights), "
        "then weights @ values (the tests read the weights there; F.dropout or scaled_dot_product_attention hide them)"
    )
    batch, length = x.shape[:2]
    square = [(before, after) for before, after in seen if tuple(before.shape) == (batch, length, length)]
    assert square, (
        f"self.dropout received {[tuple(before.shape) for before, _ in seen]} but never the attention weights "
        f"(B, T, T) = {(batch, length, length)}: dropout belongs on the weights, before weights @ values, "
        f"not on the output (B, T, head_size) = {(batch, length, HEAD_SIZE)}"
    )
    before, after = square[0]
    return output, before.detach(), after.detach()


# ---------------------------------------------------------------- shape and parameters


@pytest.mark.kata("AttentionHead.forward")
def test_output_has_shape_batch_time_head_size_for_every_length():
    head = make_head()
    for length in (BLOCK, 5, 1):
        output = run(head, random_input(length))
        assert_shape(output, (BATCH, length, HEAD_SIZE), "(B, T, head_size)", f"AttentionHead output for T = {length}")


@pytest.mark.kata("AttentionHead.__init__")
def test_keys_queries_and_values_have_their_own_bias_free_projections():
    head = make_head()
    projections = {}
    for name in ("key_fc", "query_fc", "value_fc"):
        layer = getattr(head, name, None)
        assert isinstance(getattr(layer, "weight", None), torch.Tensor), (
            f"AttentionHead needs self.{name} = nn.Linear(embedding_dim, head_size, bias=False)"
        )
        assert tuple(layer.weight.shape) == (HEAD_SIZE, EMBEDDING_DIM), (
            f"{name}.weight: expected (head_size, embedding_dim) = {(HEAD_SIZE, EMBEDDING_DIM)}, "
            f"got {tuple(layer.weight.shape)} (nn.Linear(in, out) stores its weight as (out, in))"
        )
        assert getattr(layer, "bias", None) is None, (
            f"{name} has a bias: the key, query and value projections are bias-free, "
            f"nn.Linear(embedding_dim, head_size, bias=False)"
        )
        projections[name] = layer
    for (name_a, a), (name_b, b) in itertools.combinations(projections.items(), 2):
        assert a is not b and a.weight.data_ptr() != b.weight.data_ptr(), (
            f"{name_a} and {name_b} share parameters: keys, queries and values each need their own projection"
        )


@pytest.mark.kata("AttentionHead.__init__")
def test_parameter_count_is_three_embedding_dim_by_head_size_matrices():
    head = make_head()
    expected = 3 * EMBEDDING_DIM * HEAD_SIZE
    assert parameter_count(head) == expected, parameter_count_message(
        head, expected, f"3 * embedding_dim * head_size = 3 * {EMBEDDING_DIM} * {HEAD_SIZE} (no biases; the mask is a "
        "buffer, not a parameter)", (BATCH, BLOCK, EMBEDDING_DIM)
    )


# ---------------------------------------------------------------- causality, by experiment


def assert_finite(head, x, output):
    broken = [t for t in range(x.shape[1]) if not torch.isfinite(output[:, t]).all()]
    assert not broken, (
        f"the output has NaN or inf at positions {broken}: most likely a softmax row whose scores were all "
        f"masked. Mask only the future, above the diagonal: position t attends to positions 0..t, itself included."
        + diagnosis(head, x, output=output)
    )


@pytest.mark.kata("AttentionHead.forward")
def test_changing_a_later_position_leaves_every_earlier_output_unchanged():
    head = make_head()
    x = random_input()
    output = run(head, x).detach()
    assert_finite(head, x, output)
    for changed in range(1, BLOCK):
        altered = x.clone()
        altered[:, changed] = torch.randn(BATCH, EMBEDDING_DIM)
        difference = (run(head, altered).detach() - output).abs().amax(dim=(0, 2))  # one number per position
        moved = [t for t in range(changed) if difference[t] > 1e-5]
        assert not moved, (
            f"position {moved[0]} changed when only position {changed} changed: the causal mask is missing or "
            f"applied in the wrong place (mask the scores above the diagonal with -inf before the softmax, so "
            f"that no position sees the future)." + diagnosis(head, x, output=output)
        )


@pytest.mark.kata("AttentionHead.forward")
def test_changing_an_earlier_position_changes_every_output_from_there_on():
    head = make_head()
    x = random_input()
    output = run(head, x).detach()
    assert_finite(head, x, output)
    for changed in (0, 3):
        altered = x.clone()
        altered[:, changed] = torch.randn(BATCH, EMBEDDING_DIM)
        difference = (run(head, altered).detach() - output).abs().amax(dim=(0, 2))
        unmoved = [t for t in range(changed, BLOCK) if not difference[t] > 1e-6]
        assert not unmoved, (
            f"position {unmoved[0]} did not change when position {changed} changed: position t should attend "
            f"to every position 0..t; the mask should hide only the future (above the diagonal)."
            + diagnosis(head, x, output=output)
        )


# ---------------------------------------------------------------- the attention weights


@pytest.mark.kata("AttentionHead.forward")
def test_attention_weights_rows_sum_to_1_with_exactly_zero_weight_on_the_future():
    head = make_head()
    x = random_input()
    _, weights, _ = captured_weights(head, x)
    broken = [t for t in range(BLOCK) if not torch.isfinite(weights[:, t]).all()]
    assert not broken, (
        f"rows {broken} of the attention weights are NaN: every score in them was masked. The diagonal must "
        f"stay visible (position t attends to 0..t, itself included)." + diagnosis(head, x, weights=weights)
    )
    future = future_mask(BLOCK)
    assert (weights[:, future] == 0).all(), (
        f"the attention weights (B, T, T) = {tuple(weights.shape)} put weight on the future (above the diagonal): "
        f"the causal mask is missing or misplaced; fill the future scores with -inf before the softmax."
        + diagnosis(head, x, weights=weights)
    )
    diagonal = torch.diagonal(weights, dim1=-2, dim2=-1)
    assert not (diagonal[:, 1:] == 0).all(), (
        "every position puts zero weight on itself: the diagonal is masked too. Mask only above the diagonal "
        "(torch.tril keeps the diagonal; triu(diagonal=1) is the future)." + diagnosis(head, x, weights=weights)
    )
    row_sums = weights.sum(dim=-1)
    assert torch.allclose(row_sums, torch.ones_like(row_sums), atol=1e-5), (
        f"every row of the attention weights should sum to 1, got sums from {row_sums.min():.4f} to "
        f"{row_sums.max():.4f}: apply the softmax over the last dimension (dim=-1), after masking."
        + diagnosis(head, x, weights=weights)
    )


def fitted_scale(weights, raw_scores):
    """The scale s that best explains the weights as softmax(raw_scores * s) within each row.

    Inside one row, log w[t, i] - log w[t, 0] = s * (raw[t, i] - raw[t, 0]) for
    the visible positions, whatever the mask and the normalisation did. Returns
    (s, relative misfit); a large misfit means the weights are not a row-wise
    softmax of these scores at all.
    """
    length = weights.shape[-1]
    pairs = torch.tril(torch.ones(length, length, dtype=torch.bool))
    pairs[0] = False
    pairs[:, 0] = False
    log_weights = weights.double().log()
    log_ratios = (log_weights - log_weights[..., :1])[:, pairs]
    score_gaps = (raw_scores - raw_scores[..., :1])[:, pairs]
    usable = torch.isfinite(log_ratios)
    log_ratios, score_gaps = log_ratios[usable], score_gaps[usable]
    if log_ratios.numel() == 0:
        return float("nan"), float("inf")
    scale = float((log_ratios * score_gaps).sum() / (score_gaps * score_gaps).sum())
    misfit = float((log_ratios - scale * score_gaps).abs().max() / log_ratios.abs().max().clamp_min(1e-12))
    return scale, misfit


SCALE_NAMES = {
    "head_size ** -0.5": HEAD_SIZE**-0.5,
    "embedding_dim ** -0.5": EMBEDDING_DIM**-0.5,
    "1 (no scaling)": 1.0,
    "1 / head_size": HEAD_SIZE**-1.0,
    "1 / embedding_dim": EMBEDDING_DIM**-1.0,
    "head_size ** 0.5": HEAD_SIZE**0.5,
    "embedding_dim ** 0.5": EMBEDDING_DIM**0.5,
}


@pytest.mark.kata("AttentionHead.forward")
def test_scores_are_scaled_by_head_size_to_the_minus_one_half():
    head = make_head()  # head_size 4, embedding_dim 12: the two candidate scales differ by sqrt(3)
    x = random_input()
    _, weights, _ = captured_weights(head, x)
    raw_scores = project(head.query_fc, x) @ project(head.key_fc, x).transpose(-2, -1)
    scale, misfit = fitted_scale(weights, raw_scores)
    assert misfit < 1e-3, (
        "within a row, the attention weights are not softmax(queries @ keys^T * scale) for any scale: "
        "scores[t, s] = query_fc(x)[t] · key_fc(x)[s], and the softmax goes over each row (dim=-1)."
        + diagnosis(head, x, weights=weights)
    )
    closest = min(SCALE_NAMES, key=lambda name: abs(math.log(max(scale, 1e-12) / SCALE_NAMES[name])))
    assert abs(scale / HEAD_SIZE**-0.5 - 1) < 1e-3, (
        f"scores look scaled by {closest} (fitted scale {scale:.4f}); the scale is head_size ** -0.5 = "
        f"{HEAD_SIZE} ** -0.5 = {HEAD_SIZE**-0.5:.4f}, the size of the vectors in each dot product, "
        f"not embedding_dim = {EMBEDDING_DIM}"
    )


@pytest.mark.kata("AttentionHead.forward")
def test_output_is_the_weights_times_the_values_from_value_fc():
    head = make_head()
    x = random_input()
    output, _, weights = captured_weights(head, x)
    actual = output.detach().double()
    if torch.allclose(actual, weights.double() @ project(head.value_fc, x), **TOLERANCE):
        return
    for name in ("key_fc", "query_fc"):
        if torch.allclose(actual, weights.double() @ project(getattr(head, name), x), **TOLERANCE):
            raise AssertionError(
                f"the values come from {name}: keys, queries and values each have their own projection, "
                f"and the value handed over by position s is value_fc(x)[s]"
            )
    bias_note = ""
    if getattr(head.value_fc, "bias", None) is not None:
        bias_note = " value_fc has a bias: the value projection is bias-free, nn.Linear(..., bias=False)."
    raise AssertionError(
        "the output should be weights @ value_fc(x): (B, T, T) @ (B, T, head_size) -> (B, T, head_size), "
        f"with the weights as they leave self.dropout.{bias_note}"
    )


@pytest.mark.kata("AttentionHead.forward")
def test_output_equals_causal_attention_computed_from_the_heads_own_weights():
    head = make_head()
    x = random_input()
    output = run(head, x).detach()
    expected = expected_output(head, x)
    assert_shape(output, expected.shape, "(B, T, head_size)")
    assert torch.allclose(output.double(), expected, **TOLERANCE), (
        f"output differs from softmax(mask(query_fc(x) @ key_fc(x)^T * head_size ** -0.5)) @ value_fc(x) "
        f"(max difference {(output.double() - expected).abs().max():.3g})." + diagnosis(head, x, output=output)
    )


@pytest.mark.kata("AttentionHead.forward")
def test_a_shorter_sequence_uses_the_top_left_corner_of_the_mask():
    head = make_head()
    full = random_input()
    full_length_right = torch.allclose(run(head, full).detach().double(), expected_output(head, full), **TOLERANCE)
    for length in (3, BLOCK - 1):
        x = random_input(length)
        output = run(head, x).detach()
        expected = expected_output(head, x)
        assert_shape(output, expected.shape, "(B, T, head_size)", f"output for T = {length}")
        advice = (
            "use the top-left (T, T) corner of the mask, tril[:T, :T]." if full_length_right
            else "the output for the full length T = input_sequence_length is wrong too, so the mask's corner is "
            "not the first thing to fix."
        )
        assert torch.allclose(output.double(), expected, **TOLERANCE), (
            f"for T = {length} < input_sequence_length = {BLOCK} the output is not causal attention over the "
            f"{length} positions: {advice}" + diagnosis(head, x, output=output)
        )


# ---------------------------------------------------------------- dropout


@pytest.mark.kata("AttentionHead.forward")
def test_eval_mode_is_deterministic_and_drops_nothing():
    head = make_head(dropout_rate=0.5).eval()
    x = random_input()
    first, second = run(head, x).detach(), run(head, x).detach()
    assert torch.allclose(first, second, rtol=0, atol=0, equal_nan=True), (
        "in eval mode two calls on the same input differ: dropout must do nothing in eval mode. "
        "Use self.dropout (an nn.Dropout follows train()/eval()), not F.dropout(..., training=True)."
    )
    assert torch.allclose(first.double(), expected_output(head, x), **TOLERANCE), (
        "in eval mode, with dropout_rate = 0.5, the output should equal attention without any dropout."
        + diagnosis(head, x, output=first)
    )


@pytest.mark.kata("AttentionHead.forward")
def test_training_mode_applies_dropout_to_the_attention_weights():
    rate = 0.5
    head = make_head(dropout_rate=rate).train()
    x = random_input()
    output, weights, dropped = captured_weights(head, x)
    kept = dropped != 0
    assert not kept[weights > 0].all(), (
        f"in training mode, with dropout_rate = {rate}, dropout should zero some attention weights, but none "
        f"became 0: is self.dropout an nn.Dropout(config.dropout_rate)?"
    )
    assert torch.allclose(dropped[kept], weights[kept] / (1 - rate), **TOLERANCE), (
        f"weights that survive dropout should be scaled by 1 / (1 - dropout_rate) = {1 / (1 - rate):g}: "
        "use nn.Dropout(config.dropout_rate)"
    )
    expected = dropped.double() @ project(head.value_fc, x)
    assert torch.allclose(output.detach().double(), expected, **TOLERANCE), (
        "in training mode the output should be dropout(weights) @ values: the values must be mixed with the "
        "weights as dropout left them (dropout on the weights, not on the output)"
    )
    again = run(head, x).detach()
    assert not torch.equal(again, output.detach()), (
        "two training-mode calls gave the same output: dropout should pick new weights to drop on every call"
    )
    evaluated = run(head.eval(), x).detach()
    assert not torch.allclose(evaluated, output.detach()), "training mode with dropout gave the eval-mode output"


@pytest.mark.kata("AttentionHead.__init__")
def test_the_mask_moves_with_the_head_to_another_device():
    # "meta" is a device every machine has: tensors with shapes but no data, like a GPU for this purpose.
    head = make_head().to("meta")
    try:
        output = head(torch.randn(BATCH, BLOCK, EMBEDDING_DIM, device="meta"))
    except NotImplementedError:
        raise
    except RuntimeError as error:
        raise AssertionError(
            f"the head failed after head.to('meta') ({error}): the causal mask stayed on the CPU when the head "
            "moved to another device. Register it with self.register_buffer('tril', ...) (a plain tensor "
            "attribute does not move with .to(device)), or build it in forward on x.device"
        ) from error
    assert output.device.type == "meta", f"the output should be on the input's device, got {output.device}"
