"""Chapter 05 — LayerNorm. All fail with NotImplementedError at first.

The expected values come from ``torch.nn.functional.layer_norm``, PyTorch's
own layer normalisation, given this module's gamma, beta and eps.
"""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata_tools.i18n import _
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
        _("eps = {eps:g} was not used (left out, or the default 1e-5 used instead): keep the eps given to the "
          "constructor, inside the square root").format(eps=eps): gamma * centred / torch.sqrt(variance + 1e-5) + beta,
        _("the unbiased variance (divide by C - 1) was used: LayerNorm uses the biased variance, divide by C"): (
            gamma * centred / torch.sqrt(variance * size / max(size - 1, 1) + eps) + beta
        ),
        _("eps was added after the square root: it belongs inside, sqrt(var + eps)"): (
            gamma * centred / (torch.sqrt(variance) + eps) + beta
        ),
        _("eps was left out: sqrt(var + eps), eps inside the square root"): (
            gamma * centred / torch.sqrt(variance) + beta
        ),
        _("x - mean was divided by the variance, not by its square root (the standard deviation)"): (
            gamma * centred / (variance + eps) + beta
        ),
        _("gamma and beta are swapped: gamma scales, beta shifts"): beta * x_hat + gamma,
        _("gamma and beta were not applied: return gamma * x_hat + beta"): x_hat,
    }
    for slip, wrong in slips.items():
        if not torch.allclose(wrong, correct, atol=1e-5) and torch.allclose(output, wrong, atol=1e-5, rtol=1e-4):
            return _("it looks like {slip}").format(slip=slip)
    return _("expected gamma * (x - mean) / sqrt(var + eps) + beta, mean and biased variance over the last dimension")


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
            _("{name} has shape {shape}: the averaged dimension was dropped. Keep it with keepdim=True, {expected}, so "
              "that x - mean lines up each token's statistic with its own C numbers").format(
                name=name, shape=tuple(statistic.shape), expected=shape)
        )
    assert_shape(statistic, shape, "(B, T, 1)", name)


@pytest.mark.kata("token_mean")
def test_token_mean_gives_the_tutorials_means_for_lets_he():
    mean = layer_norm.token_mean(lets_he_embeddings(), dim=-1)
    assert_one_number_per_token(mean, "token_mean(embeddings, dim=-1)")
    assert torch.allclose(mean.flatten(), torch.tensor(TUTORIAL_MEAN), atol=0.006), (
        _('the tutorial\'s means of the 8 tokens of "Let\'s he" (Chapter 05, Section 1) are {tutorial_mean}; yours '
          "are {mean}: average each token's C numbers, over dim").format(
            tutorial_mean=TUTORIAL_MEAN, mean=rounded(mean))
    )


@pytest.mark.kata("token_mean")
def test_token_mean_averages_over_the_dimension_it_is_given():
    x = torch.randn(2, 3, 5)
    mean = layer_norm.token_mean(x, dim=1)
    assert_one_number_per_token(mean, "token_mean(x, dim=1) for x of shape (2, 3, 5)", (2, 1, 5))
    assert torch.allclose(mean, x.mean(dim=1, keepdim=True), atol=1e-6), (
        _("token_mean(x, dim=1) should average over dimension 1: use the dim it is given")
    )


@pytest.mark.kata("token_variance")
def test_token_variance_gives_the_tutorials_biased_variances_for_lets_he():
    embeddings = lets_he_embeddings()
    variance = layer_norm.token_variance(embeddings, dim=-1)
    assert_one_number_per_token(variance, "token_variance(embeddings, dim=-1)")
    unbiased = embeddings.var(dim=-1, keepdim=True, unbiased=True)
    if torch.allclose(variance, unbiased, atol=1e-5):
        raise AssertionError(
            _("your variances {variance} are the unbiased ones (divide by C - 1 = 7); the tutorial's are "
              "{tutorial_variance}: LayerNorm uses the biased variance, divide by C (unbiased=False, "
              "correction=0)").format(variance=rounded(variance), tutorial_variance=TUTORIAL_VARIANCE)
        )
    assert torch.allclose(variance.flatten(), torch.tensor(TUTORIAL_VARIANCE), atol=0.006), (
        _('the tutorial\'s variances of the 8 tokens of "Let\'s he" (Chapter 05, Section 1) are {tutorial_variance}; '
          "yours are {variance}: the average of (x - mean) ** 2 over each token's C numbers").format(
            tutorial_variance=TUTORIAL_VARIANCE, variance=rounded(variance))
    )


@pytest.mark.kata("token_variance")
def test_token_variance_is_taken_over_the_dimension_it_is_given():
    x = torch.randn(2, 4, 3) * 2.0
    variance = layer_norm.token_variance(x, dim=1)
    assert_one_number_per_token(variance, "token_variance(x, dim=1) for x of shape (2, 4, 3)", (2, 1, 3))
    assert torch.allclose(variance, x.var(dim=1, keepdim=True, unbiased=False), atol=1e-5), (
        _("token_variance(x, dim=1) should be the biased variance over dimension 1: use the dim it is given")
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
        raise AssertionError(_("x - mean was divided by the variance: divide by its square root, sqrt(variance + eps)"))
    assert torch.allclose(hat[0, 0], torch.tensor(TUTORIAL_HAT_ROW_0), atol=0.006), (
        _("the tutorial's check point (Chapter 05, Section 1) has hat[0, 0] = {tutorial_hat_row_0}; yours is {hat}: "
          "hat = (x - mean) / sqrt(variance + eps)").format(
            tutorial_hat_row_0=TUTORIAL_HAT_ROW_0, hat=rounded(hat[0, 0]))
    )
    assert torch.allclose(hat, expected, atol=1e-5), _("hat should be (x - mean) / sqrt(variance + eps) for every "
                                                       "token")
    hat_mean, hat_variance = hat.mean(dim=-1), hat.var(dim=-1, unbiased=False)
    assert torch.allclose(hat_mean, torch.zeros(1, 8), atol=1e-5), (
        _("the tutorial's hand check: every token of hat has mean 0.00; yours {hat_mean}").format(
            hat_mean=rounded(hat_mean))
    )
    assert torch.allclose(hat_variance, torch.ones(1, 8), atol=1e-3), (
        _("the tutorial's hand check: every token of hat has variance 1.00; yours {hat_variance}").format(
            hat_variance=rounded(hat_variance))
    )


@pytest.mark.kata("normalise")
def test_normalise_adds_eps_inside_the_square_root():
    x = torch.tensor([[2.5, 2.5, 2.5, 2.5], [1e-3, -1e-3, 2e-3, -2e-3]])  # variance 0, and variance below eps
    mean = x.mean(dim=-1, keepdim=True)
    variance = x.var(dim=-1, keepdim=True, unbiased=False)
    hat = layer_norm.normalise(x, mean, variance, 1e-5)
    assert_shape(hat, (2, 4), "(N, C)", "hat")
    assert torch.isfinite(hat).all(), (
        _("a token whose numbers are all equal (variance 0) gave NaN or inf: add eps inside the square root, "
          "sqrt(variance + eps)")
    )
    expected = (x - mean) / torch.sqrt(variance + 1e-5)
    if torch.allclose(hat, (x - mean) / (torch.sqrt(variance) + 1e-5), atol=1e-4):
        raise AssertionError(
            _("hat for a token of variance 2.5e-6 is {hat}, expected {expected}: eps was added after the square "
              "root; it belongs inside, sqrt(variance + eps)").format(
                hat=rounded(hat[1]), expected=rounded(expected[1]))
        )
    assert torch.allclose(hat, expected, atol=1e-4), (
        _("hat for a token of variance 2.5e-6 should be (x - mean) / sqrt(variance + eps) = {expected}, got {hat}: "
          "use the eps it is given, inside the square root").format(
            expected=rounded(expected[1]), hat=rounded(hat[1]))
    )
    wide = layer_norm.normalise(x, mean, variance, 0.5)
    assert torch.allclose(wide, (x - mean) / torch.sqrt(variance + 0.5), atol=1e-5), (
        _("normalise(..., eps=0.5) should divide by sqrt(variance + 0.5): use the eps it is given")
    )


@pytest.mark.kata("scale_and_shift")
def test_scale_and_shift_with_ones_and_zeros_returns_hat_as_in_the_tutorial():
    hat = torch.randn(1, 8, 8)
    norm_embeddings = layer_norm.scale_and_shift(hat, torch.ones(8), torch.zeros(8))
    assert_shape(norm_embeddings, (1, 8, 8), "(B, T, C)", "norm_embeddings")
    assert torch.allclose(norm_embeddings, hat, atol=1e-6), (
        _("with gamma = ones and beta = zeros (the tutorial's gammma and beta) norm_embeddings should equal hat: "
          "gamma * hat + beta")
    )


@pytest.mark.kata("scale_and_shift")
def test_scale_and_shift_scales_by_gamma_and_shifts_by_beta_channel_by_channel():
    hat = torch.randn(2, 3, 4)
    gamma, beta = torch.tensor([1.0, 2.0, -1.0, 0.5]), torch.tensor([0.0, 1.0, 3.0, -2.0])
    result = layer_norm.scale_and_shift(hat, gamma, beta)
    assert_shape(result, (2, 3, 4), "(B, T, C)")
    if torch.allclose(result, beta * hat + gamma, atol=1e-6):
        raise AssertionError(_("gamma and beta are swapped: gamma scales (multiplies), beta shifts (is added)"))
    assert torch.allclose(result, gamma * hat + beta, atol=1e-6), (
        _("the result should be gamma * hat + beta, gamma and beta applied along the last dimension, channel c "
          "scaled by gamma[c] and shifted by beta[c]")
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
        _("every token's output should have mean 0 over its C numbers, got means up to {mean_abs:.3g}: "
          "{likely_mistake}. Subtract the mean over the last dimension").format(
            mean_abs=mean.abs().max(), likely_mistake=likely_mistake(y, x))
    )
    assert torch.allclose(variance, torch.ones_like(variance), atol=2e-3), (
        _("every token's output should have variance 1, got variances from {variance_min:.4f} to {variance_max:.4f}: "
          "{likely_mistake}. The variance to divide by is the biased one, the average of (x - mean) ** 2 over the C "
          "numbers (divide by C, not C - 1; unbiased=False)").format(
            variance_min=variance.min(), variance_max=variance.max(), likely_mistake=likely_mistake(y, x))
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
        _("outputs should have standard deviation 1, got {spread_mean:.4f} on average: {likely_mistake}. Divide x - "
          "mean by sqrt(variance + eps), the standard deviation").format(
            spread_mean=spread.mean(), likely_mistake=likely_mistake(y, x))
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
        _("changing token (b=1, t=2) changed the output of other tokens: take mean and variance over the last "
          "dimension only (dim=-1, keepdim=True), each token on its own")
    )


@pytest.mark.kata("LayerNorm.forward")
def test_norm_dim_chooses_the_dimension_the_statistics_are_taken_over():
    size = 6
    module = layer_norm.LayerNorm(size, norm_dim=-2)
    assert getattr(module, "norm_dim", None) == -2, (
        _("LayerNorm(C, norm_dim=-2) should keep norm_dim as self.norm_dim, got {got!r}").format(
            got=getattr(module, 'norm_dim', None))
    )
    x = torch.randn(3, size, size) * 2.0 + 1.0
    with torch.no_grad():
        y = module(x)
    assert_shape(y, (3, size, size), "(B, T, C)")
    mean = x.mean(dim=-2, keepdim=True)
    expected = (x - mean) / torch.sqrt(x.var(dim=-2, keepdim=True, unbiased=False) + 1e-5)
    if torch.allclose(y, F.layer_norm(x, (size,), eps=1e-5), atol=1e-5):
        raise AssertionError(
            _("LayerNorm(C, norm_dim=-2) normalised the last dimension: take the mean and the variance over "
              "self.norm_dim (dim=self.norm_dim, keepdim=True), not over a fixed dim=-1")
        )
    assert torch.allclose(y, expected, atol=1e-5), (
        _("LayerNorm(C, norm_dim=-2) should give mean 0 and biased variance 1 along dimension -2: mean and variance "
          "over dim=self.norm_dim, keepdim=True")
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
        _("a token whose numbers are all equal has variance 0 and gave NaN or inf: add eps to the variance inside "
          "the square root, sqrt(var + eps)")
    )
    assert torch.allclose(y[0, 1], beta, atol=1e-5), (
        _("a constant token normalises to 0, so its output should be beta = {beta}, got {got}: "
          "{likely_mistake}").format(
            beta=[round(v, 4) for v in beta.tolist()],
            got=[round(v, 4) for v in y[0, 1].tolist()],
            likely_mistake=likely_mistake(y, x, gamma, beta))
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
        _("for tokens of variance about 1e-6 the output should be (x - mean) / sqrt(var + eps), starting "
          "{first_expected}, got {first_got}: {likely_mistake}. eps = 1e-5 is added to the variance inside the "
          "square root").format(
            first_expected=first_expected, first_got=first_got, likely_mistake=likely_mistake(y, x))
    )


@pytest.mark.kata("LayerNorm.forward")
def test_a_custom_eps_is_honoured():
    size = 8
    module = layer_norm.LayerNorm(size, eps=0.5)
    x = torch.randn(4, size)
    with torch.no_grad():
        y = module(x)
    assert torch.allclose(y, F.layer_norm(x, (size,), eps=0.5), atol=1e-5), (
        _("LayerNorm(C, eps=0.5) should compute (x - mean) / sqrt(var + 0.5): {likely_mistake}").format(
            likely_mistake=likely_mistake(y, x, eps=0.5))
    )


@pytest.mark.kata("LayerNorm.__init__")
def test_gamma_and_beta_are_parameters_starting_at_ones_and_zeros():
    size = 7
    module = layer_norm.LayerNorm(size)
    parameters = list(module.parameters())
    for name, start in (("gamma", torch.ones(size)), ("beta", torch.zeros(size))):
        value = getattr(module, name)
        assert isinstance(value, nn.Parameter), (
            _("{name} should be an nn.Parameter, got {value_type}: a plain tensor is invisible to "
              "module.parameters(), so the optimiser would never train it").format(
                name=name, value_type=type(value).__name__)
        )
        assert any(parameter is value for parameter in parameters) and value.requires_grad, (
            _("{name} should be among module.parameters() and require grad").format(name=name)
        )
        assert_shape(value, (size,), "(C,)", name)
        assert torch.equal(value.detach(), start), (
            _("{name} should start at {initial} so that the layer starts as a plain normalisation, got "
              "{value}").format(name=name, initial='ones' if name == 'gamma' else 'zeros', value=value.tolist())
        )
    assert parameter_count(module) == 2 * size, (
        _("LayerNorm(C) should hold 2 * C = {expected} parameters (gamma and beta), got {got}").format(
            expected=2 * size, got=parameter_count(module))
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
        _("with random gamma and beta the output should be gamma * x_hat + beta (gamma scales and beta shifts each "
          "normalised number, channel by channel): {likely_mistake}").format(
            likely_mistake=likely_mistake(y, x, gamma, beta))
    )


@pytest.mark.kata("LayerNorm.forward")
def test_gradients_reach_gamma_and_beta():
    size = 6
    module = layer_norm.LayerNorm(size)
    for name in ("gamma", "beta"):
        assert getattr(module, name).requires_grad, _("{name} does not require grad: make it an nn.Parameter").format(
                                                        name=name)
    (module(torch.randn(2, 3, size)) * torch.randn(size)).sum().backward()
    for name in ("gamma", "beta"):
        grad = getattr(module, name).grad
        assert grad is not None and grad.abs().sum() > 0, (
            _("no gradient reached {name}: it must be an nn.Parameter used in forward").format(name=name)
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
        _("on input of shape {shape} each vector along the last dimension should be normalised on its own: "
          "{likely_mistake}").format(shape=tuple(x.shape), likely_mistake=likely_mistake(y, x, gamma, beta))
    )
