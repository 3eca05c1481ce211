"""Chapter 10 — VocabularyLogits. All fail with NotImplementedError at first.

The last layer of the model: a final layer norm over C, then a linear map
from C numbers to V logits, one score per character of the vocabulary.
"""

import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from kata_tools.i18n import _
from kata_tools.testing import assert_shape, chapter_module, make_config, parameter_count, randomize_parameters

logits_chapter = chapter_module("chapter10_vocabulary_logits")

VOCAB_SIZE = 7


def make_layer(embedding_dim=12, vocab_size=VOCAB_SIZE):
    return logits_chapter.VocabularyLogits(vocab_size, make_config(embedding_dim=embedding_dim))


def norm_scale_and_shift(norm):
    """The learnable (scale, shift) of either nn.LayerNorm (weight, bias) or the chapter-05 LayerNorm (gamma, beta)."""
    scale = getattr(norm, "weight", None)
    if scale is None:
        scale = getattr(norm, "gamma", None)
    shift = getattr(norm, "bias", None)
    if shift is None:
        shift = getattr(norm, "beta", None)
    assert scale is not None and shift is not None, (
        _("output_norm is a {norm_type} without a learnable scale and shift: use nn.LayerNorm(C) or your chapter-05 "
          "LayerNorm(C)").format(norm_type=type(norm).__name__)
    )
    return scale, shift


# ---------------------------------------------------------------- steps: Sections 1 (forward) and 2 (Calculating loss)

# Chapter 11, Section 3's toy logits over the word vocabulary I, you, am, is, love, hate, and their softmax as the
# tutorial prints it.
TOY_LOGITS = [[1.0, 0.5, 0.0, -1.0, 3.0, 2.0], [0.5, 3.2, -1.0, 0.0, 0.2, -0.5]]
TOY_PROBABILITIES = [[0.08, 0.05, 0.03, 0.01, 0.60, 0.22], [0.06, 0.84, 0.01, 0.03, 0.04, 0.02]]
TUTORIAL_TARGETS = [[43, 58, 5, 57, 1, 46, 43, 39]]  # "et's hea"
TUTORIAL_VOCAB_SIZE = 65


@pytest.mark.kata("vocabulary_logits")
def test_vocabulary_logits_normalise_then_project_to_65_characters():
    norm, projection = randomize_parameters(nn.LayerNorm(8)), nn.Linear(8, TUTORIAL_VOCAB_SIZE)
    x = torch.randn(1, 8, 8) * 3 + 1
    with torch.no_grad():
        logits = logits_chapter.vocabulary_logits(x, norm, projection)
        expected = projection(norm(x))
        assert_shape(
            logits, (1, 8, TUTORIAL_VOCAB_SIZE), "(B, T, V)", _("vocabulary_logits, as the tutorial's (1, 8, 65)")
        )
        if torch.allclose(logits, projection(x), atol=1e-5):
            raise AssertionError(_("vocabulary_logits skipped the norm: normalise first (output_norm), then project"))
    assert torch.allclose(logits, expected, atol=1e-5), (
        _("vocabulary_logits should be vocab_projection(output_norm(x)), (1, 8, 8) -> (1, 8, 65) (max difference "
          "{difference:.3g})").format(difference=(logits - expected).abs().max())
    )


@pytest.mark.kata("next_character_probabilities")
def test_next_character_probabilities_match_the_tutorials_softmax():
    probabilities = logits_chapter.next_character_probabilities(torch.tensor([TOY_LOGITS]))
    assert_shape(probabilities, (1, 2, 6), "(B, T, V)", "next_character_probabilities")
    if torch.allclose(probabilities.sum(dim=1), torch.ones(1, 6), atol=1e-5):
        raise AssertionError(
            _("next_character_probabilities took the softmax over the positions (dim=1); take it over the "
              "vocabulary, dim=-1, so every position's row sums to 1")
        )
    assert torch.allclose(probabilities, torch.tensor([TOY_PROBABILITIES]), atol=0.006), (
        _("for the logits {toy_logits} the tutorial's softmax is {toy_probabilities}; yours is {yours}: "
          "torch.softmax(logits, dim=-1)").format(
            toy_logits=TOY_LOGITS[0],
            toy_probabilities=TOY_PROBABILITIES[0],
            yours=[round(v, 2) for v in probabilities[0, 0].tolist()])
    )
    logits = torch.randn(2, 5, TUTORIAL_VOCAB_SIZE)
    expected = torch.exp(logits) / torch.exp(logits).sum(-1, keepdim=True)
    assert torch.allclose(logits_chapter.next_character_probabilities(logits), expected, atol=1e-6), (
        _("next_character_probabilities of (B, T, 65) logits should be exp(logits) / its sum over the last axis")
    )


@pytest.mark.kata("one_hot_targets")
def test_one_hot_targets_mark_the_tutorials_next_characters():
    targets = torch.tensor(TUTORIAL_TARGETS)
    one_hot = logits_chapter.one_hot_targets(targets, TUTORIAL_VOCAB_SIZE)
    assert_shape(one_hot, (1, 8, TUTORIAL_VOCAB_SIZE), "(B, T, V)", _("one_hot_targets of the (1, 8) targets"))
    ones = [row.nonzero().flatten().tolist() for row in one_hot[0]]
    assert ones == [[index] for index in TUTORIAL_TARGETS[0]], (
        _("each row should hold a single 1, at the target's id: the tutorial's targets are {tutorial_targets} "
          '("et\'s hea"); your 1s sit at {ones}').format(tutorial_targets=TUTORIAL_TARGETS[0], ones=ones)
    )
    assert (one_hot[one_hot != 0] == 1).all(), _("one_hot_targets should hold 1 at the target's id and 0 elsewhere")


@pytest.mark.kata("flatten_for_cross_entropy")
def test_flatten_for_cross_entropy_folds_batch_and_time_together():
    logits, targets = torch.randn(1, 8, TUTORIAL_VOCAB_SIZE), torch.tensor(TUTORIAL_TARGETS)
    flat_logits, flat_targets = logits_chapter.flatten_for_cross_entropy(logits, targets)
    assert_shape(flat_logits, (8, TUTORIAL_VOCAB_SIZE), "(B * T, V)", _("the tutorial's logits_2d"))
    assert_shape(flat_targets, (8,), "(B * T,)", _("the tutorial's targets_1d"))
    assert flat_targets.tolist() == TUTORIAL_TARGETS[0], (
        _("targets_1d should be the tutorial's {tutorial_targets}; yours is {flat_targets}").format(
            tutorial_targets=TUTORIAL_TARGETS[0], flat_targets=flat_targets.tolist())
    )
    logits, targets = torch.randn(2, 3, 5), torch.randint(5, (2, 3))
    flat_logits, flat_targets = logits_chapter.flatten_for_cross_entropy(logits, targets)
    assert_shape(flat_logits, (6, 5), "(B * T, V)", "logits")
    for b in range(2):
        for t in range(3):
            row = b * 3 + t
            assert torch.equal(flat_logits[row], logits[b, t]) and flat_targets[row] == targets[b, t], (
                _("row {row} should hold position (b={b}, t={t}) of both logits and targets: fold with logits.view(B "
                  "* T, V) and targets.view(B * T), no transpose").format(row=row, b=b, t=t)
            )


@pytest.mark.kata("cross_entropy_loss")
def test_cross_entropy_loss_of_uniform_logits_is_ln_v():
    loss = logits_chapter.cross_entropy_loss(torch.zeros(8, TUTORIAL_VOCAB_SIZE), torch.tensor(TUTORIAL_TARGETS[0]))
    assert isinstance(loss, torch.Tensor) and loss.dim() == 0, (
        _("cross_entropy_loss should return a scalar tensor (the mean over the rows), got {loss!r}").format(loss=loss)
    )
    expected = math.log(TUTORIAL_VOCAB_SIZE)
    if abs(loss.item() - 8 * expected) < 1e-3:
        raise AssertionError(_("cross_entropy_loss summed the rows' losses; it is their mean (nn.CrossEntropyLoss)"))
    assert abs(loss.item() - expected) < 1e-4, (
        _("logits that guess uniformly among 65 characters should give ln 65 = {expected:.4f}, where an untrained "
          "model starts; yours gives {loss_item:.4f}").format(expected=expected, loss_item=loss.item())
    )


@pytest.mark.kata("cross_entropy_loss")
def test_cross_entropy_loss_is_the_mean_negative_log_probability_of_the_targets():
    logits = torch.randn(8, TUTORIAL_VOCAB_SIZE, requires_grad=True)
    targets = torch.tensor(TUTORIAL_TARGETS[0])
    loss = logits_chapter.cross_entropy_loss(logits, targets)
    with torch.no_grad():
        log_probabilities = logits - logits.logsumexp(dim=-1, keepdim=True)
        expected = -log_probabilities[torch.arange(8), targets].mean()
        wrong = {
            _("the softmax applied first (cross-entropy takes the raw logits and applies its own log-softmax)"):
                F.cross_entropy(F.softmax(logits, dim=-1), targets),
            _("the logits treated as log-probabilities (no log-softmax)"): -logits[torch.arange(8), targets].mean(),
        }
    for described, candidate in wrong.items():
        if abs(loss.item() - candidate.item()) < 1e-5:
            raise AssertionError(_("cross_entropy_loss matches {described}").format(described=described))
    assert abs(loss.item() - expected.item()) < 1e-5, (
        _("cross_entropy_loss should be the mean of -log softmax(logits)[target] over the rows = "
          "{expected_item:.4f}; yours is {loss_item:.4f}").format(
            expected_item=expected.item(), loss_item=loss.item())
    )
    assert loss.requires_grad, _("cross_entropy_loss should keep the graph, so that loss.backward() can train the "
                                 "model")

@pytest.mark.kata("VocabularyLogits.forward")
def test_logits_have_one_score_per_vocabulary_entry_at_every_position():
    layer = make_layer()
    logits = layer(torch.randn(2, 5, 12))
    assert_shape(logits, (2, 5, VOCAB_SIZE), "(B, T, V)", "logits")


@pytest.mark.kata("VocabularyLogits.__init__")
def test_vocab_projection_is_a_linear_map_from_embedding_dim_to_vocab_size():
    layer = make_layer()
    projection = layer.vocab_projection
    assert isinstance(projection, nn.Linear), (
        _("vocab_projection should be nn.Linear(C, V), got {projection_type}").format(
            projection_type=type(projection).__name__)
    )
    assert (projection.in_features, projection.out_features) == (12, VOCAB_SIZE), (
        _("vocab_projection should map C = 12 features to V = {vocab_size} logits, got Linear({in_features}, "
          "{out_features})").format(
            vocab_size=VOCAB_SIZE, in_features=projection.in_features, out_features=projection.out_features)
    )
    assert projection.bias is not None, _("vocab_projection should keep its bias (one learnable offset per character)")


@pytest.mark.kata("VocabularyLogits.__init__")
def test_parameter_count_is_the_norm_plus_the_projection():
    layer = make_layer()
    expected = 2 * 12 + (12 * VOCAB_SIZE + VOCAB_SIZE)  # norm: scale + shift; projection: weights + biases
    assert parameter_count(layer) == expected, (
        _("expected {expected} parameters (norm 2 * C = 24, projection C * V + V = {projection}), got {got}: "
          "is the norm or the projection missing or of the wrong size?").format(
            expected=expected, projection=12 * VOCAB_SIZE + VOCAB_SIZE, got=parameter_count(layer))
    )


@pytest.mark.kata("VocabularyLogits.forward")
def test_logits_are_the_projection_of_the_normalised_input():
    # Random norm parameters: a fresh norm (scale 1, shift 0) would hide a skipped or misplaced norm less well.
    layer = randomize_parameters(make_layer(), seed=1)
    x = torch.randn(2, 5, 12) * 3 + 1
    scale, shift = norm_scale_and_shift(layer.output_norm)
    eps = getattr(layer.output_norm, "eps", 1e-5)
    projection = layer.vocab_projection
    expected = F.linear(F.layer_norm(x, (12,), scale, shift, eps), projection.weight, projection.bias)
    logits = layer(x)
    assert_shape(logits, (2, 5, VOCAB_SIZE), "(B, T, V)", "logits")
    if torch.allclose(logits, projection(x), atol=1e-4):
        raise AssertionError(
            _("the logits are vocab_projection(x): the final norm is skipped. Apply output_norm first: "
              "vocab_projection(output_norm(x))")
        )
    probabilities = bool((logits >= 0).all() and torch.allclose(logits.sum(-1), torch.ones(2, 5), atol=1e-4))
    assert torch.allclose(logits, expected, atol=1e-4), (
        _("logits should be vocab_projection(output_norm(x)): layer norm over the last dimension C, then the "
          "projection; largest difference {difference:.4g}").format(difference=(logits - expected).abs().max().item())
        + (". " + _("It matches probabilities: a softmax was applied. Return the raw scores; cross_entropy and "
                    "generate take the softmax themselves.") if probabilities else "")
    )


@pytest.mark.kata("VocabularyLogits.forward")
def test_the_final_norm_makes_the_logits_ignore_the_scale_of_a_token_vector():
    layer = make_layer()
    x = torch.randn(2, 5, 12)
    rescaled = x * 10 + 4  # per token: same direction after the norm removes the mean and the spread
    assert torch.allclose(layer(rescaled), layer(x), atol=1e-3), (
        _("scaling and shifting a token's vector changed its logits: the final layer norm (output_norm) over C is "
          "missing, or normalises another dimension")
    )


@pytest.mark.kata("VocabularyLogits.forward")
def test_every_position_is_normalised_on_its_own():
    layer = randomize_parameters(make_layer(), seed=2)
    x = torch.randn(2, 5, 12)
    changed = x.clone()
    changed[:, 3] = changed[:, 3] * 5 + 2
    difference = (layer(changed) - layer(x)).abs().amax(dim=(0, 2))  # (T,)
    others = [position for position in range(5) if position != 3 and difference[position] > 1e-4]
    assert not others, (
        _("positions {others} changed when only position 3 changed: the norm must take its mean and variance over "
          "the last dimension (C) of each token, not across positions").format(others=others)
    )
