"""Chapter 05 — LayerNorm. All fail with NotImplementedError at first.

The expected values come from ``torch.nn.functional.layer_norm``, PyTorch's
own layer normalisation, given this module's gamma, beta and eps.
"""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata_tools.testing import assert_shape, chapter_module, parameter_count

layer_norm = chapter_module("chapter05_layer_norm")


def likely_mistake(output, x, gamma=None, beta=None, eps=1e-5):
    """Name the classic mistake that reproduces ``output`` exactly, or say what was expected.

    Each entry rebuilds LayerNorm with one thing done wrong; if the output
    matches one of them (and not the right answer), that is the likely slip.
    """
    size = x.shape[-1]
    gamma = torch.ones(size) if gamma is None else gamma
    beta = torch.zeros(size) if beta is None else beta
    centred = x - x.mean(dim=-1, keepdim=True)
    variance = centred.pow(2).mean(dim=-1, keepdim=True)  # the biased variance
    x_hat = centred / torch.sqrt(variance + eps)
    correct = gamma * x_hat + beta
    slips = {
        f"eps = {eps:g} was not used (left out, or the default 1e-5 used instead): keep the eps given to the "
        "constructor, inside the square root": gamma * centred / torch.sqrt(variance + 1e-5) + beta,
        "the unbiased variance (divide by C - 1) was used: LayerNorm uses the biased variance, divide by C": (
            gamma * centred / torch.sqrt(variance * size / max(size - 1, 1) + eps) + beta
        ),
        "eps was added after the square root: it belongs inside, sqrt(var + eps)": (
            gamma * centred / (torch.sqrt(variance) + eps) + beta
        ),
        "eps was left out: sqrt(var + eps), eps inside the square root": gamma * centred / torch.sqrt(variance) + beta,
        "x - mean was divided by the variance, not by its square root (the standard deviation)": (
            gamma * centred / (variance + eps) + beta
        ),
        "gamma and beta are swapped: gamma scales, beta shifts": beta * x_hat + gamma,
        "gamma and beta were not applied: return gamma * x_hat + beta": x_hat,
    }
    for slip, wrong in slips.items():
        if not torch.allclose(wrong, correct, atol=1e-5) and torch.allclose(output, wrong, atol=1e-5, rtol=1e-4):
            return f"it looks like {slip}"
    return "expected gamma * (x - mean) / sqrt(var + eps) + beta, mean and biased variance over the last dimension"


def set_gamma_and_beta(module, size, seed=0):
    """Random gamma and beta, so that a scale or shift in the wrong place shows."""
    generator = torch.Generator().manual_seed(seed)
    gamma, beta = torch.randn(size, generator=generator) + 1.0, torch.randn(size, generator=generator)
    with torch.no_grad():
        module.gamma.copy_(gamma)
        module.beta.copy_(beta)
    return gamma, beta


@pytest.mark.kata("LayerNorm.forward")
def test_every_token_gets_mean_0_and_biased_variance_1():
    size = 4  # small C: the biased variance (divide by C) and the unbiased (C - 1) differ by a quarter
    module = layer_norm.LayerNorm(size)
    x = torch.randn(6, 10, size) * 3.0 + 2.0
    y = module(x)
    assert_shape(y, (6, 10, size), "(B, T, C)")
    mean = y.mean(dim=-1)
    variance = y.var(dim=-1, unbiased=False)
    assert torch.allclose(mean, torch.zeros_like(mean), atol=1e-5), (
        f"every token's output should have mean 0 over its C numbers, got means up to {mean.abs().max():.3g}: "
        f"{likely_mistake(y, x)}. Subtract the mean over the last dimension"
    )
    assert torch.allclose(variance, torch.ones_like(variance), atol=2e-3), (
        f"every token's output should have variance 1, got variances from {variance.min():.4f} "
        f"to {variance.max():.4f}: "
        f"{likely_mistake(y, x)}. The variance to divide by is the biased one, the average of (x - mean) ** 2 "
        "over the C numbers (divide by C, not C - 1; unbiased=False)"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_divides_by_the_standard_deviation_not_the_variance():
    size = 8
    module = layer_norm.LayerNorm(size)
    x = torch.randn(5, size) * 4.0  # variance about 16: dividing by it, not by its root, leaves the spread at 1/4
    with torch.no_grad():
        y = module(x)
    spread = y.std(dim=-1, unbiased=False)
    assert torch.allclose(spread, torch.ones_like(spread), atol=1e-3), (
        f"outputs should have standard deviation 1, got {spread.mean():.4f} on average: {likely_mistake(y, x)}. "
        "Divide x - mean by sqrt(variance + eps), the standard deviation"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_statistics_are_taken_over_the_last_dimension_only():
    size = 6
    module = layer_norm.LayerNorm(size)
    x = torch.randn(3, 5, size)
    before = module(x)
    changed = x.clone()
    changed[1, 2] = torch.randn(size) * 10.0 + 5.0  # one token, far from the others
    after = module(changed)
    assert_shape(after, (3, 5, size), "(B, T, C)")
    untouched = torch.ones(3, 5, dtype=torch.bool)
    untouched[1, 2] = False
    assert torch.allclose(before[untouched], after[untouched], atol=1e-6), (
        "changing token (b=1, t=2) changed the output of other tokens: take mean and variance over the last "
        "dimension only (dim=-1, keepdim=True), each token on its own"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_norm_dim_chooses_the_dimension_the_statistics_are_taken_over():
    size = 6
    module = layer_norm.LayerNorm(size, norm_dim=-2)
    assert getattr(module, "norm_dim", None) == -2, (
        f"LayerNorm(C, norm_dim=-2) should keep norm_dim as self.norm_dim, got {getattr(module, 'norm_dim', None)!r}"
    )
    x = torch.randn(3, size, size) * 2.0 + 1.0
    with torch.no_grad():
        y = module(x)
    assert_shape(y, (3, size, size), "(B, T, C)")
    mean = x.mean(dim=-2, keepdim=True)
    expected = (x - mean) / torch.sqrt(x.var(dim=-2, keepdim=True, unbiased=False) + 1e-5)
    if torch.allclose(y, F.layer_norm(x, (size,), eps=1e-5), atol=1e-5):
        raise AssertionError(
            "LayerNorm(C, norm_dim=-2) normalised the last dimension: take the mean and the variance over "
            "self.norm_dim (dim=self.norm_dim, keepdim=True), not over a fixed dim=-1"
        )
    assert torch.allclose(y, expected, atol=1e-5), (
        "LayerNorm(C, norm_dim=-2) should give mean 0 and biased variance 1 along dimension -2: "
        "mean and variance over dim=self.norm_dim, keepdim=True"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_a_constant_token_stays_finite_because_eps_is_inside_the_root():
    size = 5
    module = layer_norm.LayerNorm(size)
    gamma, beta = set_gamma_and_beta(module, size)
    x = torch.randn(2, 3, size)
    x[0, 1] = 2.5  # all equal numbers: variance 0
    with torch.no_grad():
        y = module(x)
    assert torch.isfinite(y).all(), (
        "a token whose numbers are all equal has variance 0 and gave NaN or inf: add eps to the variance inside "
        "the square root, sqrt(var + eps)"
    )
    assert torch.allclose(y[0, 1], beta, atol=1e-5), (
        f"a constant token normalises to 0, so its output should be beta = {[round(v, 4) for v in beta.tolist()]}, "
        f"got {[round(v, 4) for v in y[0, 1].tolist()]}: {likely_mistake(y, x, gamma, beta)}"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_eps_is_added_to_the_variance_inside_the_square_root():
    size = 16
    module = layer_norm.LayerNorm(size)
    x = torch.randn(4, size) * 1e-3  # variance 1e-6, smaller than eps = 1e-5: where eps goes matters here
    with torch.no_grad():
        y = module(x)
    expected = F.layer_norm(x, (size,), eps=1e-5)
    first_expected = [round(value, 4) for value in expected[0, :3].tolist()]
    first_got = [round(value, 4) for value in y[0, :3].tolist()]
    assert torch.allclose(y, expected, atol=1e-4), (
        f"for tokens of variance about 1e-6 the output should be (x - mean) / sqrt(var + eps), starting "
        f"{first_expected}, got {first_got}: "
        f"{likely_mistake(y, x)}. eps = 1e-5 is added to the variance inside the square root"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_a_custom_eps_is_honoured():
    size = 8
    module = layer_norm.LayerNorm(size, eps=0.5)
    x = torch.randn(4, size)
    with torch.no_grad():
        y = module(x)
    assert torch.allclose(y, F.layer_norm(x, (size,), eps=0.5), atol=1e-5), (
        f"LayerNorm(C, eps=0.5) should compute (x - mean) / sqrt(var + 0.5): {likely_mistake(y, x, eps=0.5)}"
    )


@pytest.mark.kata("LayerNorm.__init__")
def test_gamma_and_beta_are_parameters_starting_at_ones_and_zeros():
    size = 7
    module = layer_norm.LayerNorm(size)
    parameters = list(module.parameters())
    for name, start in (("gamma", torch.ones(size)), ("beta", torch.zeros(size))):
        value = getattr(module, name)
        assert isinstance(value, nn.Parameter), (
            f"{name} should be an nn.Parameter, got {type(value).__name__}: a plain tensor is invisible to "
            "module.parameters(), so the optimiser would never train it"
        )
        assert any(parameter is value for parameter in parameters) and value.requires_grad, (
            f"{name} should be among module.parameters() and require grad"
        )
        assert_shape(value, (size,), "(C,)", name)
        assert torch.equal(value.detach(), start), (
            f"{name} should start at {'ones' if name == 'gamma' else 'zeros'} so that the layer starts as a plain "
            f"normalisation, got {value.tolist()}"
        )
    assert parameter_count(module) == 2 * size, (
        f"LayerNorm(C) should hold 2 * C = {2 * size} parameters (gamma and beta), got {parameter_count(module)}"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_gamma_scales_and_beta_shifts_the_normalised_values():
    size = 6
    module = layer_norm.LayerNorm(size)
    gamma, beta = set_gamma_and_beta(module, size)
    x = torch.randn(3, 4, size) * 2.0 - 1.0
    with torch.no_grad():
        y = module(x)
    expected = F.layer_norm(x, (size,), gamma, beta, eps=1e-5)
    assert torch.allclose(y, expected, atol=1e-5), (
        "with random gamma and beta the output should be gamma * x_hat + beta (gamma scales and beta shifts each "
        f"normalised number, channel by channel): {likely_mistake(y, x, gamma, beta)}"
    )


@pytest.mark.kata("LayerNorm.forward")
def test_gradients_reach_gamma_and_beta():
    size = 6
    module = layer_norm.LayerNorm(size)
    for name in ("gamma", "beta"):
        assert getattr(module, name).requires_grad, f"{name} does not require grad: make it an nn.Parameter"
    (module(torch.randn(2, 3, size)) * torch.randn(size)).sum().backward()
    for name in ("gamma", "beta"):
        grad = getattr(module, name).grad
        assert grad is not None and grad.abs().sum() > 0, (
            f"no gradient reached {name}: it must be an nn.Parameter used in forward"
        )


@pytest.mark.kata("LayerNorm.forward")
@pytest.mark.parametrize("leading_shape", [(), (7,), (2, 3, 4)], ids=["C", "N,C", "A,B,T,C"])
def test_works_on_any_leading_shape(leading_shape):
    size = 5
    module = layer_norm.LayerNorm(size)
    gamma, beta = set_gamma_and_beta(module, size)
    x = torch.randn(*leading_shape, size) * 3.0
    with torch.no_grad():
        y = module(x)
    assert_shape(y, (*leading_shape, size), "(..., C)")
    assert torch.allclose(y, F.layer_norm(x, (size,), gamma, beta, eps=1e-5), atol=1e-5), (
        f"on input of shape {tuple(x.shape)} each vector along the last dimension should be normalised on its own: "
        f"{likely_mistake(y, x, gamma, beta)}"
    )
