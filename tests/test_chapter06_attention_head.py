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
from torch.nn import functional as F

from kata_tools.i18n import _
from kata_tools.testing import (
    TOLERANCE,
    assert_shape,
    call_explained,
    chapter_module,
    dropout_rate_diagnosis,
    format_tensor,
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
    hint = (" " + _("The input is shorter than the block (T = {length} < input_sequence_length = {block}): "
                    "a mask made for the full length must be cut to the current one, tril[:T, :T].").format(
        length=length, block=BLOCK)) if length < BLOCK else ""
    return call_explained(head, x, _("AttentionHead on x (B, T, C)"), hint)


# ---------------------------------------------------------------- what attention should compute


def expected_weights(head, x):
    return attention_weights(project(head.query_fc, x), project(head.key_fc, x), HEAD_SIZE**-0.5)


def expected_output(head, x):
    return expected_weights(head, x) @ project(head.value_fc, x)


def captured_weights(head, x):
    """Run ``head(x)`` and return (output, what self.dropout received, what it gave back) for the (B, T, T) call."""
    dropout = getattr(head, "dropout", None)
    assert isinstance(dropout, nn.Module), (
        _("AttentionHead needs self.dropout = nn.Dropout(config.dropout_rate), applied to the attention weights")
    )
    seen = []
    handle = dropout.register_forward_hook(lambda module, inputs, result: seen.append((inputs[0], result)))
    try:
        output = run(head, x)
    finally:
        handle.remove()
    assert seen, (
        _("AttentionHead must pass the attention weights through self.dropout: weights = self.dropout(weights), "
          "then weights @ values (the tests read the weights there; F.dropout or scaled_dot_product_attention "
          "hide them)")
    )
    batch, length = x.shape[:2]
    square = [(before, after) for before, after in seen if tuple(before.shape) == (batch, length, length)]
    assert square, (
        _("self.dropout received {shapes} but never the attention weights "
          "(B, T, T) = {weights}: dropout belongs on the weights, before weights @ values, "
          "not on the output (B, T, head_size) = {output}").format(
            shapes=[tuple(before.shape) for before, _unused in seen],
            weights=(batch, length, length),
            output=(batch, length, HEAD_SIZE))
    )
    before, after = square[0]
    return output, before.detach(), after.detach()


# ---------------------------------------------------------------- the steps, in the tutorial's order


def rounded(tensor, decimals=2):
    """A tensor as nested lists rounded like the tutorial's print_formatted_tensor."""
    return torch.as_tensor(tensor).detach().double().round(decimals=decimals).tolist()


def assert_tutorial_value(actual, expected, what, how, atol=0.006):
    """Fail with the tutorial's value beside the learner's unless they agree to 2 decimals."""
    expected = torch.tensor(expected, dtype=torch.float64)
    assert_shape(actual, tuple(expected.shape), _("the tutorial's shape"), what)
    assert torch.allclose(actual.detach().double(), expected, atol=atol), (
        _("your {what} differs from the tutorial's: {how}\nthe tutorial's:\n{expected}\nyours:\n{actual}").format(
            what=what, how=how, expected=format_tensor(expected), actual=format_tensor(actual))
    )


# The three-word example of Section 2: rows are I, love, you; Query = Key = Value.
I_LOVE_YOU = [[1, 0, 2], [2, 0, 1], [2, 1, 0]]
SCALED_I_LOVE_YOU = [[2.89, 2.31, 1.15], [2.31, 2.89, 2.31], [1.15, 2.31, 2.89]]  # Section 3, check point
SOFTMAX_I_LOVE_YOU = [[0.58, 0.32, 0.10], [0.26, 0.47, 0.26], [0.10, 0.32, 0.58]]  # Section 4
MASKED_SOFTMAX_I_LOVE_YOU = [[1.00, 0.00, 0.00], [0.36, 0.64, 0.00], [0.10, 0.32, 0.58]]  # Section 5


def i_love_you_scores():
    """Q K^T of the float I/love/you example, before the scale: [[5, 4, 2], [4, 5, 4], [2, 4, 5]]."""
    words = torch.tensor(I_LOVE_YOU, dtype=torch.float32)
    return words @ words.T


def lets_he_normalised_embeddings():
    """The tutorial's norm_embeddings of "Let's he" [1, 8, 8] and the first head's key, query and value weights.

    Std chain: seed 1337, token table nn.Embedding(65, 8), position table nn.Embedding(8, 8), nn.LayerNorm(8)
    (no draws), then key_fc1, query_fc1, value_fc1 = nn.Linear(8, 4, bias=False) in this order (Section 8).
    """
    with torch.random.fork_rng():
        torch.manual_seed(1337)
        token_table, position_table = nn.Embedding(65, 8), nn.Embedding(8, 8)
        projections = [nn.Linear(8, 4, bias=False) for _ in ("key", "query", "value")]
    tokens = torch.tensor([[24, 43, 58, 5, 57, 1, 46, 43]])
    embeddings = token_table(tokens) + position_table(torch.arange(8))
    normalised = F.layer_norm(embeddings, (8,)).detach()
    return normalised, [layer.weight.detach() for layer in projections]


@pytest.mark.kata("dot_product_weights")
def test_dot_product_weights_give_5_4_2_from_the_view_of_i():
    words = torch.tensor(I_LOVE_YOU)
    weights = attention.dot_product_weights(words[0], words)
    if isinstance(weights, torch.Tensor) and weights.tolist() == [5, 2, 2]:
        raise AssertionError(
            _("the tutorial's weights w1, w2, w3 from I's view are [5, 4, 2]; yours are [5, 2, 2]: the query was "
              "multiplied into the columns of keys (query @ keys). Each weight is the query · one key, a row of keys")
        )
    assert_tutorial_value(weights, [5, 4, 2], _("weights w1, w2, w3 of I (Section 2)"),
                          _("weights[s] = torch.dot(query, keys[s]) for each word s"))


@pytest.mark.kata("dot_product_weights")
def test_dot_product_weights_one_per_key_for_any_number_of_keys():
    query, keys = torch.randn(3), torch.randn(5, 3)  # 5 keys of length 3
    weights = attention.dot_product_weights(query, keys)
    assert_shape(weights, (5,), "(T,)", "dot_product_weights(query (H,), keys (T, H))")
    expected = torch.stack([torch.dot(query, key) for key in keys])
    assert torch.allclose(weights, expected, atol=1e-5), _("weights[s] should be the dot product of query and keys[s]")


@pytest.mark.kata("weighted_sum")
def test_weighted_sum_gives_17_2_14_from_the_view_of_i_and_22_4_13_from_love():
    values = torch.tensor(I_LOVE_YOU)
    from_i = attention.weighted_sum(torch.tensor([5, 4, 2]), values)
    assert_tutorial_value(from_i, [17, 2, 14], _("weighted sum from I's view (Section 2)"),
                          _("5 * value of I + 4 * value of love + 2 * value of you"))
    from_love = attention.weighted_sum(torch.tensor([4, 5, 4]), values)
    assert_tutorial_value(from_love, [22, 4, 13], _("weighted sum from love's view (Section 2)"),
                          "weights[0] * values[0] + weights[1] * values[1] + weights[2] * values[2]")


@pytest.mark.kata("self_attention_unscaled")
def test_self_attention_unscaled_gives_the_tutorials_output_for_i_love_you():
    words = torch.tensor(I_LOVE_YOU)
    output = attention.self_attention_unscaled(words, words, words)
    assert_tutorial_value(output, [[17, 2, 14], [22, 4, 13], [20, 5, 8]], _("check point Output (Section 2)"),
                          "Output = (Query @ Key^T) @ Value")


@pytest.mark.kata("self_attention_unscaled")
def test_self_attention_unscaled_works_for_more_words_than_features():
    query, key, value = torch.randn(5, 3), torch.randn(5, 3), torch.randn(5, 4)
    output = attention.self_attention_unscaled(query, key, value)
    assert_shape(output, (5, 4), "(T, H)", _("self_attention_unscaled of 5 words"))
    expected = torch.einsum("ts,sh->th", torch.einsum("th,sh->ts", query, key), value)
    assert torch.allclose(output, expected, atol=1e-4), (
        _("every word's output should be its row of (Q K^T) V: the weights Q K^T (T, T), row t for word t, times "
          "the values (T, H)")
    )


@pytest.mark.kata("dot_product_variance")
def test_dot_product_variance_grows_like_the_dimension():
    variances = {}
    for dim in (4, 64):
        variances[dim] = float(attention.dot_product_variance(dim, 10_000, torch.Generator().manual_seed(1337)))
    if all(abs(variance - 1) < 0.15 for variance in variances.values()):
        raise AssertionError(
            _("your variances are {variances}, about 1 for every dimension: the tutorial's quiz answer is d (3.99 for "
              "d = 4, 63.99 for d = 64). Return the variance of the raw dot products, not of single products or of "
              "scaled ones").format(variances=variances)
        )
    for dim, variance in variances.items():
        assert abs(variance / dim - 1) < 0.1, (
            _("the variance of a {dim}-dimensional dot product of standard normal vectors is about {dim} (the "
              "tutorial measured {measured}); yours is {variance:.2f}: draw (samples, dim) queries and keys with "
              "torch.randn(..., generator=generator), sum each pair's products, take the variance").format(
                dim=dim, measured='3.99' if dim == 4 else '63.99', variance=variance)
        )


@pytest.mark.kata("dot_product_variance")
def test_dot_product_variance_draws_from_the_generator_it_is_given():
    state = torch.random.get_rng_state()
    first = float(attention.dot_product_variance(16, 2_000, torch.Generator().manual_seed(7)))
    assert torch.equal(state, torch.random.get_rng_state()), (
        _("dot_product_variance drew from the global generator: pass generator=generator to torch.randn, so that "
          "the result depends only on the generator it is given")
    )
    again = float(attention.dot_product_variance(16, 2_000, torch.Generator().manual_seed(7)))
    other = float(attention.dot_product_variance(16, 2_000, torch.Generator().manual_seed(8)))
    assert first == again and first != other, (
        _("two generators seeded 7 gave {first} and {again}, one seeded 8 gave {other}: the result should depend "
          "on the generator's random numbers and on nothing else").format(first=first, again=again, other=other)
    )


@pytest.mark.kata("scale_scores")
def test_scale_scores_gives_the_tutorials_check_point_for_dk_3():
    scaled = attention.scale_scores(i_love_you_scores(), 3)
    if isinstance(scaled, torch.Tensor) and torch.allclose(scaled, i_love_you_scores() / 3, atol=1e-4):
        raise AssertionError(
            _("your scores were divided by dk = 3; divide by its square root, scores * dk ** (-0.5)\n"
              "the tutorial's check point AttentionWeights (Section 3):\n{expected}\nyours:\n{scaled}").format(
                expected=format_tensor(SCALED_I_LOVE_YOU), scaled=format_tensor(scaled))
        )
    assert_tutorial_value(scaled, SCALED_I_LOVE_YOU, _("check point AttentionWeights (Section 3)"),
                          "AttentionWeights = (Query @ Key.T) * dk ** (-0.5)")


@pytest.mark.kata("scale_scores")
def test_scale_scores_uses_the_head_size_it_is_given():
    scores = torch.randn(2, 5, 5)
    scaled = attention.scale_scores(scores, 16)
    assert_shape(scaled, (2, 5, 5), "(B, T, T)")
    assert torch.allclose(scaled, scores / 4, atol=1e-6), (
        _("scale_scores(scores, 16) should divide the scores by sqrt(16) = 4: scores * head_size ** -0.5")
    )


@pytest.mark.kata("normalise_by_sum")
def test_normalise_by_sum_gives_the_tutorials_0_45_0_36_0_18():
    proportions = attention.normalise_by_sum(torch.tensor([5.0, 4.0, 2.0]))
    assert_tutorial_value(proportions, [0.45, 0.36, 0.18], _("weights 5, 4, 2 divided by their sum 11 (Section 4)"),
                          _("divide each weight by the sum of its row"), atol=0.007)


@pytest.mark.kata("normalise_by_sum")
def test_normalise_by_sum_normalises_every_row_on_its_own():
    weights = torch.rand(2, 4, 4) + 0.1
    proportions = attention.normalise_by_sum(weights)
    assert_shape(proportions, (2, 4, 4), "(B, T, T)")
    sums = proportions.sum(dim=-1)
    assert torch.allclose(sums, torch.ones(2, 4), atol=1e-5), (
        _("every row should sum to 1, got row sums {sums}: divide by the sum over the last dimension "
          "(dim=-1, keepdim=True), not by the sum of everything or of a column").format(sums=rounded(sums))
    )
    assert torch.allclose(proportions, weights / weights.sum(dim=-1, keepdim=True), atol=1e-6)


@pytest.mark.kata("softmax_weights")
def test_softmax_weights_gives_the_tutorials_rows_for_i_love_you():
    scaled = i_love_you_scores() * 3**-0.5
    weights = attention.softmax_weights(scaled)
    assert_shape(weights, (3, 3), "(T, T)")
    if torch.allclose(weights, F.softmax(scaled, dim=0), atol=1e-4):
        raise AssertionError(
            _("the softmax ran over dim 0, the queries (columns sum to 1). Each row t, the weights of word t, must "
              "sum to 1: softmax over the last dimension, dim=-1\n"
              "the tutorial's softmax weights (Section 4):\n{expected}\nyours:\n{weights}").format(
                expected=format_tensor(SOFTMAX_I_LOVE_YOU), weights=format_tensor(weights))
        )
    assert_tutorial_value(weights, SOFTMAX_I_LOVE_YOU, _("softmax weights (Section 4)"),
                          _("exp of each score divided by the sum of exp over its row"))


@pytest.mark.kata("softmax_weights")
def test_softmax_weights_run_over_the_last_dimension_of_a_batch():
    scores = torch.randn(2, 4, 4) * 3
    weights = attention.softmax_weights(scores)
    assert_shape(weights, (2, 4, 4), "(B, T, T)")
    sums = weights.sum(dim=-1)
    assert torch.allclose(sums, torch.ones(2, 4), atol=1e-5), (
        _("on (B, T, T) scores every row should sum to 1, got row sums {sums}: softmax over the last "
          "dimension, dim=-1 (dim=1 is the queries once there is a batch dimension)").format(sums=rounded(sums))
    )
    assert torch.allclose(weights, torch.exp(scores) / torch.exp(scores).sum(dim=-1, keepdim=True), atol=1e-5)


@pytest.mark.kata("future_mask")
def test_future_mask_is_the_tutorials_mask_for_three_words():
    mask = attention.future_mask(3)
    assert_shape(mask, (3, 3), "(T, T)", "future_mask(3)")
    future = (mask != 0).int().tolist()
    if future == [[1, 1, 1], [0, 1, 1], [0, 0, 1]]:
        raise AssertionError(
            _("the tutorial's mask (Section 5) is [[0, 1, 1], [0, 0, 1], [0, 0, 0]]; yours marks the diagonal too, "
              "{future}: a word may look at itself, only what lies strictly above the diagonal is the future "
              "(torch.triu(..., diagonal=1))").format(future=future)
        )
    if future == [[1, 0, 0], [1, 1, 0], [1, 1, 1]]:
        raise AssertionError(
            _("the tutorial's mask (Section 5) is [[0, 1, 1], [0, 0, 1], [0, 0, 0]]; yours is {future}, the "
              "positions each word may see. future_mask marks the future: 1 above the diagonal "
              "(torch.triu, diagonal=1)").format(future=future)
        )
    assert future == [[0, 1, 1], [0, 0, 1], [0, 0, 0]], (
        _("the tutorial's mask (Section 5) is [[0, 1, 1], [0, 0, 1], [0, 0, 0]]; yours is {future}").format(
            future=future)
    )


@pytest.mark.kata("future_mask")
def test_future_mask_marks_every_later_position_for_any_length():
    mask = attention.future_mask(6)
    assert_shape(mask, (6, 6), "(T, T)", "future_mask(6)")
    expected = [[int(s > t) for s in range(6)] for t in range(6)]
    assert (mask != 0).int().tolist() == expected, _("future_mask(T)[t, s] should be 1 exactly where s > t")


@pytest.mark.kata("mask_future")
def test_mask_future_gives_the_tutorials_masked_softmax_for_i_love_you():
    scaled = i_love_you_scores() * 3**-0.5
    masked = attention.mask_future(scaled)
    assert_shape(masked, (3, 3), "(T, T)")
    if torch.allclose(masked, scaled.triu(diagonal=1) * 0 + scaled.tril(), atol=1e-6):
        raise AssertionError(
            _("the future scores were set to 0: after the softmax exp(0) = 1 still gives the future weight. "
              "Fill them with -inf: masked_fill(mask == 1, float('-inf'))")
        )
    weights = F.softmax(masked, dim=-1)
    assert_tutorial_value(weights, MASKED_SOFTMAX_I_LOVE_YOU, _("softmax of the masked scores (Section 5)"),
                          _("only the scores above the diagonal (the future) become -inf; the diagonal stays"))
    past = torch.tril(torch.ones(3, 3, dtype=torch.bool))
    assert torch.equal(masked[past], scaled[past]), _("the scores on and below the diagonal should stay as they were")


@pytest.mark.kata("mask_future")
def test_mask_future_hides_the_future_of_every_sequence_in_a_batch():
    scores = torch.randn(2, 5, 5)
    masked = attention.mask_future(scores)
    assert_shape(masked, (2, 5, 5), "(B, T, T)")
    future = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    assert (masked[:, future] <= -1e9).all(), (
        _("on (B, T, T) scores every entry above the diagonal should be -inf (or a very negative number such as -1e9)")
    )
    assert torch.equal(masked[:, ~future], scores[:, ~future]), (
        _("the scores on and below the diagonal should be unchanged, in every sequence of the batch")
    )


S5_WEIGHTS = [[1.00, 0.00, 0.00], [0.36, 0.64, 0.00], [0.10, 0.32, 0.58]]


@pytest.mark.kata("inverted_dropout")
def test_inverted_dropout_scales_the_survivors_by_10_9_for_p_0_1():
    weights = torch.tensor(S5_WEIGHTS)
    keep = torch.tensor([[True, True, True], [False, True, True], [True, True, False]])
    dropped = attention.inverted_dropout(weights, keep, 0.1)
    assert_shape(dropped, (3, 3), "(T, T)")
    expected = weights * keep / 0.9
    if torch.allclose(dropped, weights * keep, atol=1e-6):
        raise AssertionError(
            _("the kept weights were not rescaled: divide them by 1 - p (p = 0.1: multiply by 10/9), so that the "
              "expected sum stays the same and nothing needs rescaling at inference")
        )
    if torch.allclose(dropped, weights * keep * 0.9, atol=1e-6):
        raise AssertionError(_("the kept weights were multiplied by 1 - p: divide by it (p = 0.1: times 10/9)"))
    assert torch.allclose(dropped, expected, atol=1e-6), (
        _("with p = 0.1 the tutorial multiplies the surviving weights by 10/9 and zeroes the dropped ones\n"
          "expected:\n{expected}\nyours:\n{dropped}").format(
            expected=format_tensor(expected, 3), dropped=format_tensor(dropped, 3))
    )


@pytest.mark.kata("inverted_dropout")
def test_inverted_dropout_doubles_the_survivors_for_p_0_5():
    weights = torch.rand(2, 4, 4)
    keep = torch.rand(2, 4, 4) > 0.5
    dropped = attention.inverted_dropout(weights, keep, 0.5)
    assert_shape(dropped, (2, 4, 4), "(B, T, T)")
    assert torch.allclose(dropped, torch.where(keep, weights * 2, torch.zeros(())), atol=1e-6), (
        _("with p = 0.5 (the tutorial's nn.Dropout(p=0.5)) the surviving weights double and the others become 0")
    )


# The tutorial's check point of Section 7: attention_weights_before_mask for the normalised "Let's he", head_size 8.
TUTORIAL_SCORES = [
    [2.83, 0.07, -0.47, 0.86, -0.49, -1.10, 1.53, -0.69],
    [0.07, 2.83, -1.90, 0.20, -0.00, -1.37, 0.06, 0.07],
    [-0.47, -1.90, 2.83, 1.09, 1.53, 1.21, 0.14, -0.30],
    [0.86, 0.20, 1.09, 2.83, 1.37, -0.51, 1.69, -0.51],
    [-0.49, -0.00, 1.53, 1.37, 2.83, 0.20, 0.77, 1.05],
    [-1.10, -1.37, 1.21, -0.51, 0.20, 2.83, -1.16, -0.28],
    [1.53, 0.06, 0.14, 1.69, 0.77, -1.16, 2.83, -0.96],
    [-0.69, 0.07, -0.30, -0.51, 1.05, -0.28, -0.96, 2.83],
]
# Section 7's printed attention_weights_softmax for the same input.
TUTORIAL_WEIGHTS = [
    [1.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.06, 0.94, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.04, 0.01, 0.96, 0.00, 0.00, 0.00, 0.00, 0.00],
    [0.10, 0.05, 0.13, 0.72, 0.00, 0.00, 0.00, 0.00],
    [0.02, 0.04, 0.17, 0.15, 0.63, 0.00, 0.00, 0.00],
    [0.01, 0.01, 0.15, 0.03, 0.05, 0.75, 0.00, 0.00],
    [0.15, 0.03, 0.04, 0.17, 0.07, 0.01, 0.53, 0.00],
    [0.02, 0.05, 0.03, 0.03, 0.12, 0.03, 0.02, 0.71],
]


@pytest.mark.kata("attention_scores")
def test_attention_scores_give_the_tutorials_check_point_for_lets_he():
    normalised, _unused = lets_he_normalised_embeddings()
    scores = attention.attention_scores(normalised, normalised, 8)
    assert_tutorial_value(scores, [TUTORIAL_SCORES], _("check point attention_weights_before_mask (Section 7)"),
                          _("query @ key.transpose(-2, -1) * head_size ** (-0.5); the diagonal is sqrt(8) = 2.83"))


@pytest.mark.kata("attention_scores")
def test_attention_scores_pair_every_query_with_every_key():
    query, key = torch.randn(2, 6, 4), torch.randn(2, 6, 4)
    scores = attention.attention_scores(query, key, 4)
    assert_shape(scores, (2, 6, 6), "(B, T, T)")
    expected = torch.einsum("bth,bsh->bts", query, key) / 2
    if torch.allclose(scores, expected.transpose(-2, -1), atol=1e-5):
        raise AssertionError(
            _("scores[b, t, s] should be query[b, t] · key[b, s] * head_size ** -0.5; yours is the transpose "
              "(queries and keys swapped): query @ key.transpose(-2, -1)")
        )
    assert torch.allclose(scores, expected, atol=1e-5), (
        _("scores[b, t, s] should be query[b, t] · key[b, s] * head_size ** -0.5 (head_size = 4: halve them)")
    )


@pytest.mark.kata("attend")
def test_attend_weights_are_the_tutorials_for_lets_he():
    normalised, _unused = lets_he_normalised_embeddings()
    identity = torch.eye(8).unsqueeze(0)  # values = I: the output is the attention weights themselves
    weights = attention.attend(normalised, normalised, identity, 8)
    assert_tutorial_value(weights, [TUTORIAL_WEIGHTS], _("attention_weights_softmax (Section 7)"),
                          _("softmax over dim=-1 of the scaled scores with the future (above the diagonal) at -inf; "
                            "read with values = the identity, attend returns its weights"))


@pytest.mark.kata("attend")
def test_attend_is_causal_attention_on_a_batch():
    query, key, value = torch.randn(2, 6, 4), torch.randn(2, 6, 4), torch.randn(2, 6, 3)
    try:
        output = attention.attend(query, key, value, 4)
    except RuntimeError as error:
        if "must match the size" in str(error) and "(4)" in str(error):
            raise AssertionError(
                _("with T = 6 positions and head_size = 4 the mask must be (T, T) = (6, 6): size it by the sequence "
                  "length, not by head_size (the tutorial's Section 7 writes torch.ones(head_size, head_size) only "
                  "because there T = head_size = 8). The error was: {error}").format(error=error)
            ) from None
        raise
    assert_shape(output, (2, 6, 3), "(B, T, H)")
    scores = (query @ key.transpose(-2, -1) / 2).masked_fill(future_mask(6), float("-inf"))
    expected = F.softmax(scores, dim=-1) @ value
    assert torch.isfinite(output).all(), _("attend gave NaN or inf: mask with -inf before the softmax, not after it")
    assert torch.allclose(output, expected, atol=1e-5), (
        _("attend should return softmax(mask_future(query @ key^T * head_size ** -0.5), dim=-1) @ value, each "
          "position a weighted sum of the values of positions 0..t")
    )


@pytest.mark.kata("head_size_for")
def test_head_size_for_splits_the_embedding_between_the_heads():
    for embedding_dim, heads, expected in ((8, 2, 4), (64, 4, 16)):
        head_size = attention.head_size_for(embedding_dim, heads)
        assert isinstance(head_size, int), (
            _("head_size_for({embedding_dim}, {heads}) returned {head_size!r}, a {head_size_type}: "
              "head_size sizes layers and must be an int. Use integer division, embedding_dim // num_heads").format(
                embedding_dim=embedding_dim, heads=heads, head_size=head_size, head_size_type=type(head_size).__name__)
        )
        assert head_size == expected, (
            _("the tutorial's head_size for embedding_dim {embedding_dim} and {heads} heads is {expected}; yours is "
              "{head_size}").format(embedding_dim=embedding_dim, heads=heads, expected=expected, head_size=head_size)
        )


@pytest.mark.kata("project")
def test_project_gives_the_tutorials_key_query_and_value_of_the_first_head():
    normalised, weights = lets_he_normalised_embeddings()
    tutorial = {
        "key_tensor1": [[-0.08, -1.02, 0.13, -0.96], [-0.63, 1.13, 1.34, 0.08]],
        "query_tensor1": [[0.64, -0.36, 0.39, -0.47], [-0.00, 0.95, 0.28, 0.10]],
        "value_tensor1": [[0.98, -0.68, -0.94, -0.65], [0.53, -0.64, 0.56, 0.65]],
    }
    for (name, rows), weight in zip(tutorial.items(), weights, strict=True):
        try:
            projected = attention.project(normalised, weight)
        except NotImplementedError:
            raise
        except RuntimeError as error:
            raise AssertionError(
                _("project(norm_embeddings (1, 8, 8), weight (4, 8)) failed ({error}): nn.Linear stores its weight "
                  "as (out, in) = (head_size, C); multiply by its transpose, input_tensor @ weight.T").format(
                    error=error)
            ) from error
        assert_shape(projected, (1, 8, 4), "(B, T, head_size)", name)
        assert_tutorial_value(projected[0, :2], rows, _("{name} rows 0-1 (Section 8)").format(name=name),
                              _("input_tensor @ weight.transpose(-2, -1), what nn.Linear(8, 4, bias=False) computes"))


# ---------------------------------------------------------------- the class AttentionHead (Section 10)


# ---------------------------------------------------------------- shape and parameters


@pytest.mark.kata("AttentionHead.forward")
def test_output_has_shape_batch_time_head_size_for_every_length():
    head = make_head()
    for length in (BLOCK, 5, 1):
        output = run(head, random_input(length))
        assert_shape(output, (BATCH, length, HEAD_SIZE), "(B, T, head_size)",
                     _("AttentionHead output for T = {length}").format(length=length))


@pytest.mark.kata("AttentionHead.__init__")
def test_keys_queries_and_values_have_their_own_bias_free_projections():
    head = make_head()
    projections = {}
    for name in ("key_fc", "query_fc", "value_fc"):
        layer = getattr(head, name, None)
        assert isinstance(getattr(layer, "weight", None), torch.Tensor), (
            _("AttentionHead needs self.{name} = nn.Linear(embedding_dim, head_size, bias=False)").format(name=name)
        )
        assert tuple(layer.weight.shape) == (HEAD_SIZE, EMBEDDING_DIM), (
            _("{name}.weight: expected (head_size, embedding_dim) = {expected}, "
              "got {got} (nn.Linear(in, out) stores its weight as (out, in))").format(
                name=name, expected=(HEAD_SIZE, EMBEDDING_DIM), got=tuple(layer.weight.shape))
        )
        assert getattr(layer, "bias", None) is None, (
            _("{name} has a bias: the key, query and value projections are bias-free, "
              "nn.Linear(embedding_dim, head_size, bias=False)").format(name=name)
        )
        projections[name] = layer
    for (name_a, a), (name_b, b) in itertools.combinations(projections.items(), 2):
        assert a is not b and a.weight.data_ptr() != b.weight.data_ptr(), (
            _("{name_a} and {name_b} share parameters: keys, queries and values each need their own projection").format(
                name_a=name_a, name_b=name_b)
        )


@pytest.mark.kata("AttentionHead.__init__")
def test_parameter_count_is_three_embedding_dim_by_head_size_matrices():
    head = make_head()
    expected = 3 * EMBEDDING_DIM * HEAD_SIZE
    assert parameter_count(head) == expected, parameter_count_message(
        head, expected, _("3 * embedding_dim * head_size = 3 * {embedding_dim} * {head_size} (no biases; the mask "
                          "is a buffer, not a parameter)").format(embedding_dim=EMBEDDING_DIM, head_size=HEAD_SIZE),
        (BATCH, BLOCK, EMBEDDING_DIM)
    )


# ---------------------------------------------------------------- causality, by experiment


def assert_finite(head, x, output):
    broken = [t for t in range(x.shape[1]) if not torch.isfinite(output[:, t]).all()]
    assert not broken, (
        _("the output has NaN or inf at positions {broken}: most likely a softmax row whose scores were all "
          "masked. Mask only the future, above the diagonal: position t attends to positions 0..t, itself "
          "included.").format(broken=broken)
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
            _("position {moved} changed when only position {changed} changed: the causal mask is missing or "
              "applied in the wrong place (mask the scores above the diagonal with -inf before the softmax, so "
              "that no position sees the future).").format(moved=moved[0], changed=changed)
            + diagnosis(head, x, output=output)
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
            _("position {unmoved} did not change when position {changed} changed: position t should attend "
              "to every position 0..t; the mask should hide only the future (above the diagonal).").format(
                unmoved=unmoved[0], changed=changed)
            + diagnosis(head, x, output=output)
        )


# ---------------------------------------------------------------- the attention weights


@pytest.mark.kata("AttentionHead.forward")
def test_attention_weights_rows_sum_to_1_with_exactly_zero_weight_on_the_future():
    head = make_head()
    x = random_input()
    _unused, weights, _unused = captured_weights(head, x)
    broken = [t for t in range(BLOCK) if not torch.isfinite(weights[:, t]).all()]
    assert not broken, (
        _("rows {broken} of the attention weights are NaN: every score in them was masked. The diagonal must "
          "stay visible (position t attends to 0..t, itself included).").format(broken=broken)
        + diagnosis(head, x, weights=weights)
    )
    future = future_mask(BLOCK)
    assert (weights[:, future] == 0).all(), (
        _("the attention weights (B, T, T) = {shape} put weight on the future (above the diagonal): "
          "the causal mask is missing or misplaced; fill the future scores with -inf before the softmax.").format(
            shape=tuple(weights.shape))
        + diagnosis(head, x, weights=weights)
    )
    diagonal = torch.diagonal(weights, dim1=-2, dim2=-1)
    assert not (diagonal[:, 1:] == 0).all(), (
        _("every position puts zero weight on itself: the diagonal is masked too. Mask only above the diagonal "
          "(torch.tril keeps the diagonal; triu(diagonal=1) is the future).") + diagnosis(head, x, weights=weights)
    )
    row_sums = weights.sum(dim=-1)
    assert torch.allclose(row_sums, torch.ones_like(row_sums), atol=1e-5), (
        _("every row of the attention weights should sum to 1, got sums from {low:.4f} to "
          "{high:.4f}: apply the softmax over the last dimension (dim=-1), after masking.").format(
            low=row_sums.min(), high=row_sums.max())
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
    _unused, weights, _unused = captured_weights(head, x)
    raw_scores = project(head.query_fc, x) @ project(head.key_fc, x).transpose(-2, -1)
    scale, misfit = fitted_scale(weights, raw_scores)
    assert misfit < 1e-3, (
        _("within a row, the attention weights are not softmax(queries @ keys^T * scale) for any scale: "
          "scores[t, s] = query_fc(x)[t] · key_fc(x)[s], and the softmax goes over each row (dim=-1).")
        + diagnosis(head, x, weights=weights)
    )
    closest = min(SCALE_NAMES, key=lambda name: abs(math.log(max(scale, 1e-12) / SCALE_NAMES[name])))
    assert abs(scale / HEAD_SIZE**-0.5 - 1) < 1e-3, (
        _("scores look scaled by {closest} (fitted scale {scale:.4f}); the scale is head_size ** -0.5 = "
          "{head_size} ** -0.5 = {expected:.4f}, the size of the vectors in each dot product, "
          "not embedding_dim = {embedding_dim}").format(
            closest=closest, scale=scale, head_size=HEAD_SIZE, expected=HEAD_SIZE**-0.5, embedding_dim=EMBEDDING_DIM)
    )


@pytest.mark.kata("AttentionHead.forward")
def test_output_is_the_weights_times_the_values_from_value_fc():
    head = make_head()
    x = random_input()
    output, _unused, weights = captured_weights(head, x)
    actual = output.detach().double()
    if torch.allclose(actual, weights.double() @ project(head.value_fc, x), **TOLERANCE):
        return
    for name in ("key_fc", "query_fc"):
        if torch.allclose(actual, weights.double() @ project(getattr(head, name), x), **TOLERANCE):
            raise AssertionError(
                _("the values come from {name}: keys, queries and values each have their own projection, "
                  "and the value handed over by position s is value_fc(x)[s]").format(name=name)
            )
    bias_note = ""
    if getattr(head.value_fc, "bias", None) is not None:
        bias_note = " " + _("value_fc has a bias: the value projection is bias-free, nn.Linear(..., bias=False).")
    raise AssertionError(
        _("the output should be weights @ value_fc(x): (B, T, T) @ (B, T, head_size) -> (B, T, head_size), "
          "with the weights as they leave self.dropout.{bias_note}").format(bias_note=bias_note)
    )


@pytest.mark.kata("AttentionHead.forward")
def test_output_equals_causal_attention_computed_from_the_heads_own_weights():
    head = make_head()
    x = random_input()
    output = run(head, x).detach()
    expected = expected_output(head, x)
    assert_shape(output, expected.shape, "(B, T, head_size)")
    assert torch.allclose(output.double(), expected, **TOLERANCE), (
        _("output differs from softmax(mask(query_fc(x) @ key_fc(x)^T * head_size ** -0.5)) @ value_fc(x) "
          "(max difference {difference:.3g}).").format(difference=(output.double() - expected).abs().max())
        + diagnosis(head, x, output=output)
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
        assert_shape(output, expected.shape, "(B, T, head_size)", _("output for T = {length}").format(length=length))
        advice = (
            _("use the top-left (T, T) corner of the mask, tril[:T, :T].") if full_length_right
            else _("the output for the full length T = input_sequence_length is wrong too, so the mask's corner is "
              "not the first thing to fix.")
        )
        assert torch.allclose(output.double(), expected, **TOLERANCE), (
            _("for T = {length} < input_sequence_length = {block} the output is not causal attention over the "
              "{length} positions: {advice}").format(length=length, block=BLOCK, advice=advice)
            + diagnosis(head, x, output=output)
        )


# ---------------------------------------------------------------- dropout


@pytest.mark.kata("AttentionHead.forward")
def test_eval_mode_is_deterministic_and_drops_nothing():
    head = make_head(dropout_rate=0.5).eval()
    x = random_input()
    first, second = run(head, x).detach(), run(head, x).detach()
    assert torch.allclose(first, second, rtol=0, atol=0, equal_nan=True), (
        _("in eval mode two calls on the same input differ: dropout must do nothing in eval mode. "
          "Use self.dropout (an nn.Dropout follows train()/eval()), not F.dropout(..., training=True).")
    )
    assert torch.allclose(first.double(), expected_output(head, x), **TOLERANCE), (
        _("in eval mode, with dropout_rate = 0.5, the output should equal attention without any dropout.")
        + diagnosis(head, x, output=first)
    )


@pytest.mark.kata("AttentionHead.forward")
def test_training_mode_applies_dropout_to_the_attention_weights():
    for rate in (0.5, 0.2):  # two rates: a rate written as a number fits at most one of them
        assert_training_dropout_on_the_weights(rate)


def assert_training_dropout_on_the_weights(rate):
    head = make_head(dropout_rate=rate).train()
    x = random_input()
    output, weights, dropped = captured_weights(head, x)
    kept = dropped != 0
    assert not kept[weights > 0].all(), (
        _("in training mode, with dropout_rate = {rate}, dropout should zero some attention weights, but none "
          "became 0: is self.dropout an nn.Dropout(config.dropout_rate)?").format(rate=rate)
    )
    assert torch.allclose(dropped[kept], weights[kept] / (1 - rate), **TOLERANCE), (
        _("weights that survive dropout should be scaled by 1 / (1 - dropout_rate) = {factor:g}: "
          "use nn.Dropout(config.dropout_rate).").format(factor=1 / (1 - rate))
        + dropout_rate_diagnosis(dropped, weights, rate)
    )
    expected = dropped.double() @ project(head.value_fc, x)
    assert torch.allclose(output.detach().double(), expected, **TOLERANCE), (
        _("in training mode the output should be dropout(weights) @ values: the values must be mixed with the "
          "weights as dropout left them (dropout on the weights, not on the output)")
    )
    again = run(head, x).detach()
    assert not torch.equal(again, output.detach()), (
        _("two training-mode calls gave the same output: dropout should pick new weights to drop on every call")
    )
    evaluated = run(head.eval(), x).detach()
    assert not torch.allclose(evaluated, output.detach()), _("training mode with dropout gave the eval-mode output")


@pytest.mark.kata("AttentionHead.forward")  # it runs forward too
def test_the_mask_moves_with_the_head_to_another_device():
    # "meta" is a device every machine has: tensors with shapes but no data, like a GPU for this purpose.
    head = make_head().to("meta")
    try:
        output = head(torch.randn(BATCH, BLOCK, EMBEDDING_DIM, device="meta"))
    except NotImplementedError:
        raise
    except RuntimeError as error:
        raise AssertionError(
            _("the head failed after head.to('meta') ({error}): the causal mask stayed on the CPU when the head "
              "moved to another device. Register it with self.register_buffer('tril', ...) (a plain tensor "
              "attribute does not move with .to(device)), or build it in forward on x.device").format(error=error)
        ) from error
    assert output.device.type == "meta", _("the output should be on the input's device, got {device}").format(
                                             device=output.device)
