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


# ---------------------------------------------------------------- the steps of Section 1 (forward)


def lets_he_embeddings():
    """The tutorial's input embeddings of "Let's he", [1, 8, 8]: seed 1337, token table, position table."""
    with torch.random.fork_rng():
        torch.manual_seed(1337)
        token_table, position_table = nn.Embedding(65, 8), nn.Embedding(8, 8)
    tokens = torch.tensor([[24, 43, 58, 5, 57, 1, 46, 43]])  # "Let's he"
    return (token_table(tokens) + position_table(torch.arange(8))).detach()  # (1, 8, 8)


def rounded(tensor):
    return [round(value, 2) for value in tensor.detach().flatten().tolist()]


TUTORIAL_MEAN = [0.46, -0.45, -0.22, -0.24, -0.04, -0.01, 0.18, -0.02]
TUTORIAL_VARIANCE = [2.02, 1.45, 1.00, 1.31, 0.69, 0.66, 1.63, 1.16]
TUTORIAL_HAT_ROW_0 = [0.13, -1.39, 2.07, 0.07, 0.67, -0.22, -1.11, -0.22]


def assert_one_number_per_token(statistic, name, shape=(1, 8, 1)):
    if isinstance(statistic, torch.Tensor) and tuple(statistic.shape) == shape[:-1]:
        raise AssertionError(
            f"{name} has shape {tuple(statistic.shape)}: the averaged dimension was dropped. Keep it with "
            f"keepdim=True, {shape}, so that x - mean lines up each token's statistic with its own C numbers"
        )
    assert_shape(statistic, shape, "(B, T, 1)", name)


@pytest.mark.kata("token_mean")
def test_token_mean_gives_the_tutorials_means_for_lets_he():
    mean = layer_norm.token_mean(lets_he_embeddings(), dim=-1)
    assert_one_number_per_token(mean, "token_mean(embeddings, dim=-1)")
    assert torch.allclose(mean.flatten(), torch.tensor(TUTORIAL_MEAN), atol=0.006), (
        f"the tutorial's means of the 8 tokens of \"Let's he\" (Chapter 05, Section 1) are {TUTORIAL_MEAN}; yours "
        f"are {rounded(mean)}: average each token's C numbers, over dim"
    )


@pytest.mark.kata("token_mean")
def test_token_mean_averages_over_the_dimension_it_is_given():
    x = torch.randn(2, 3, 5)
    mean = layer_norm.token_mean(x, dim=1)
    assert_one_number_per_token(mean, "token_mean(x, dim=1) for x of shape (2, 3, 5)", (2, 1, 5))
    assert torch.allclose(mean, x.mean(dim=1, keepdim=True), atol=1e-6), (
        "token_mean(x, dim=1) should average over dimension 1: use the dim it is given"
    )


@pytest.mark.kata("token_variance")
def test_token_variance_gives_the_tutorials_biased_variances_for_lets_he():
    embeddings = lets_he_embeddings()
    variance = layer_norm.token_variance(embeddings, dim=-1)
    assert_one_number_per_token(variance, "token_variance(embeddings, dim=-1)")
    unbiased = embeddings.var(dim=-1, keepdim=True, unbiased=True)
    if torch.allclose(variance, unbiased, atol=1e-5):
        raise AssertionError(
            f"your variances {rounded(variance)} are the unbiased ones (divide by C - 1 = 7); the tutorial's are "
            f"{TUTORIAL_VARIANCE}: LayerNorm uses the biased variance, divide by C (unbiased=False, correction=0)"
        )
    assert torch.allclose(variance.flatten(), torch.tensor(TUTORIAL_VARIANCE), atol=0.006), (
        f"the tutorial's variances of the 8 tokens of \"Let's he\" (Chapter 05, Section 1) are {TUTORIAL_VARIANCE}; "
        f"yours are {rounded(variance)}: the average of (x - mean) ** 2 over each token's C numbers"
    )


@pytest.mark.kata("token_variance")
def test_token_variance_is_taken_over_the_dimension_it_is_given():
    x = torch.randn(2, 4, 3) * 2.0
    variance = layer_norm.token_variance(x, dim=1)
    assert_one_number_per_token(variance, "token_variance(x, dim=1) for x of shape (2, 4, 3)", (2, 1, 3))
    assert torch.allclose(variance, x.var(dim=1, keepdim=True, unbiased=False), atol=1e-5), (
        "token_variance(x, dim=1) should be the biased variance over dimension 1: use the dim it is given"
    )


@pytest.mark.kata("normalise")
def test_normalise_passes_the_tutorials_hand_check_mean_0_variance_1():
    embeddings = lets_he_embeddings()
    mean = embeddings.mean(dim=-1, keepdim=True)
    variance = embeddings.var(dim=-1, keepdim=True, unbiased=False)
    hat = layer_norm.normalise(embeddings, mean, variance, 1e-5)
    assert_shape(hat, (1, 8, 8), "(B, T, C)", "hat")
    expected = (embeddings - mean) / torch.sqrt(variance + 1e-5)
    if torch.allclose(hat, (embeddings - mean) / (variance + 1e-5), atol=1e-5):
        raise AssertionError("x - mean was divided by the variance: divide by its square root, sqrt(variance + eps)")
    assert torch.allclose(hat[0, 0], torch.tensor(TUTORIAL_HAT_ROW_0), atol=0.006), (
        f"the tutorial's check point (Chapter 05, Section 1) has hat[0, 0] = {TUTORIAL_HAT_ROW_0}; yours is "
        f"{rounded(hat[0, 0])}: hat = (x - mean) / sqrt(variance + eps)"
    )
    assert torch.allclose(hat, expected, atol=1e-5), "hat should be (x - mean) / sqrt(variance + eps) for every token"
    hat_mean, hat_variance = hat.mean(dim=-1), hat.var(dim=-1, unbiased=False)
    assert torch.allclose(hat_mean, torch.zeros(1, 8), atol=1e-5), (
        f"the tutorial's hand check: every token of hat has mean 0.00; yours {rounded(hat_mean)}"
    )
    assert torch.allclose(hat_variance, torch.ones(1, 8), atol=1e-3), (
        f"the tutorial's hand check: every token of hat has variance 1.00; yours {rounded(hat_variance)}"
    )


@pytest.mark.kata("normalise")
def test_normalise_adds_eps_inside_the_square_root():
    x = torch.tensor([[2.5, 2.5, 2.5, 2.5], [1e-3, -1e-3, 2e-3, -2e-3]])  # variance 0, and variance below eps
    mean = x.mean(dim=-1, keepdim=True)
    variance = x.var(dim=-1, keepdim=True, unbiased=False)
    hat = layer_norm.normalise(x, mean, variance, 1e-5)
    assert_shape(hat, (2, 4), "(N, C)", "hat")
    assert torch.isfinite(hat).all(), (
        "a token whose numbers are all equal (variance 0) gave NaN or inf: add eps inside the square root, "
        "sqrt(variance + eps)"
    )
    expected = (x - mean) / torch.sqrt(variance + 1e-5)
    if torch.allclose(hat, (x - mean) / (torch.sqrt(variance) + 1e-5), atol=1e-4):
        raise AssertionError(
            f"hat for a token of variance 2.5e-6 is {rounded(hat[1])}, expected {rounded(expected[1])}: eps was "
            "added after the square root; it belongs inside, sqrt(variance + eps)"
        )
    assert torch.allclose(hat, expected, atol=1e-4), (
        f"hat for a token of variance 2.5e-6 should be (x - mean) / sqrt(variance + eps) = {rounded(expected[1])}, "
        f"got {rounded(hat[1])}: use the eps it is given, inside the square root"
    )
    wide = layer_norm.normalise(x, mean, variance, 0.5)
    assert torch.allclose(wide, (x - mean) / torch.sqrt(variance + 0.5), atol=1e-5), (
        "normalise(..., eps=0.5) should divide by sqrt(variance + 0.5): use the eps it is given"
    )


@pytest.mark.kata("scale_and_shift")
def test_scale_and_shift_with_ones_and_zeros_returns_hat_as_in_the_tutorial():
    hat = torch.randn(1, 8, 8)
    norm_embeddings = layer_norm.scale_and_shift(hat, torch.ones(8), torch.zeros(8))
    assert_shape(norm_embeddings, (1, 8, 8), "(B, T, C)", "norm_embeddings")
    assert torch.allclose(norm_embeddings, hat, atol=1e-6), (
        "with gamma = ones and beta = zeros (the tutorial's gammma and beta) norm_embeddings should equal hat: "
        "gamma * hat + beta"
    )


@pytest.mark.kata("scale_and_shift")
def test_scale_and_shift_scales_by_gamma_and_shifts_by_beta_channel_by_channel():
    hat = torch.randn(2, 3, 4)
    gamma, beta = torch.tensor([1.0, 2.0, -1.0, 0.5]), torch.tensor([0.0, 1.0, 3.0, -2.0])
    result = layer_norm.scale_and_shift(hat, gamma, beta)
    assert_shape(result, (2, 3, 4), "(B, T, C)")
    if torch.allclose(result, beta * hat + gamma, atol=1e-6):
        raise AssertionError("gamma and beta are swapped: gamma scales (multiplies), beta shifts (is added)")
    assert torch.allclose(result, gamma * hat + beta, atol=1e-6), (
        "the result should be gamma * hat + beta, gamma and beta applied along the last dimension, channel c "
        "scaled by gamma[c] and shifted by beta[c]"
    )


# ---------------------------------------------------------------- the class LayerNorm (Section 2)


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
