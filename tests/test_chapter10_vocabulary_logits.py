"""Chapter 10 — VocabularyLogits. All fail with NotImplementedError at first.

The last layer of the model: a final layer norm over C, then a linear map
from C numbers to V logits, one score per character of the vocabulary.
"""

import pytest
import torch
from torch import nn
from torch.nn import functional as F

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
        f"output_norm is a {type(norm).__name__} without a learnable scale and shift: use nn.LayerNorm(C) "
        "or your chapter-05 LayerNorm(C)"
    )
    return scale, shift


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
        f"vocab_projection should be nn.Linear(C, V), got {type(projection).__name__}"
    )
    assert (projection.in_features, projection.out_features) == (12, VOCAB_SIZE), (
        f"vocab_projection should map C = 12 features to V = {VOCAB_SIZE} logits, "
        f"got Linear({projection.in_features}, {projection.out_features})"
    )
    assert projection.bias is not None, "vocab_projection should keep its bias (one learnable offset per character)"


@pytest.mark.kata("VocabularyLogits.__init__")
def test_parameter_count_is_the_norm_plus_the_projection():
    layer = make_layer()
    expected = 2 * 12 + (12 * VOCAB_SIZE + VOCAB_SIZE)  # norm: scale + shift; projection: weights + biases
    assert parameter_count(layer) == expected, (
        f"expected {expected} parameters (norm 2 * C = 24, projection C * V + V = {12 * VOCAB_SIZE + VOCAB_SIZE}), "
        f"got {parameter_count(layer)}: is the norm or the projection missing or of the wrong size?"
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
            "the logits are vocab_projection(x): the final norm is skipped. "
            "Apply output_norm first: vocab_projection(output_norm(x))"
        )
    probabilities = bool((logits >= 0).all() and torch.allclose(logits.sum(-1), torch.ones(2, 5), atol=1e-4))
    assert torch.allclose(logits, expected, atol=1e-4), (
        "logits should be vocab_projection(output_norm(x)): layer norm over the last dimension C, then the "
        f"projection; largest difference {(logits - expected).abs().max().item():.4g}"
        + (". It matches probabilities: a softmax was applied. Return the raw scores; cross_entropy and generate "
           "take the softmax themselves." if probabilities else "")
    )


@pytest.mark.kata("VocabularyLogits.forward")
def test_the_final_norm_makes_the_logits_ignore_the_scale_of_a_token_vector():
    layer = make_layer()
    x = torch.randn(2, 5, 12)
    rescaled = x * 10 + 4  # per token: same direction after the norm removes the mean and the spread
    assert torch.allclose(layer(rescaled), layer(x), atol=1e-3), (
        "scaling and shifting a token's vector changed its logits: the final layer norm (output_norm) over C "
        "is missing, or normalises another dimension"
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
        f"positions {others} changed when only position 3 changed: the norm must take its mean and variance "
        "over the last dimension (C) of each token, not across positions"
    )
