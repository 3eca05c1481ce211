"""Chapter 05 — LayerNorm: keep every token's numbers on the same scale.

Deep networks train badly when the size of the activations drifts from layer
to layer. Layer normalisation rescales each token's vector on its own:

    mean = average of the C numbers of one token
    var  = average of (x - mean) ** 2 over the same C numbers
           (the *biased* variance: divide by C, not C - 1)
    x_hat = (x - mean) / sqrt(var + eps)         now mean 0, variance 1
    y = gamma * x_hat + beta                      learnable scale and shift

``eps`` (1e-5) sits *inside* the square root so that a token whose numbers
are all equal (var = 0) is not divided by zero. ``gamma`` starts at ones and
``beta`` at zeros, so at first the layer only normalises; training may then
learn any other scale and shift. Both must be ``nn.Parameter``s, or the
optimiser never sees them.

Statistics are taken over one dimension, ``norm_dim``, the last one by
default: every (batch, position) pair is normalised independently of the
others. ``gamma`` and ``beta`` have ``token_length`` numbers, one per entry
of the last dimension (the tutorial's name; it is C, the embedding size).

Tutorial: Everyone's nanoGPT, Chapter 05 "Layer Normalization": Section 1
(forward: the steps ``token_mean``, ``token_variance``, ``normalise`` and
``scale_and_shift``) and Section 2 (Define a Class). Later chapters use ``nn.LayerNorm``, which
computes the same; yours passes their tests too.
"""

import torch
from torch import nn


def token_mean(x, dim=-1):
    """The mean of every token's numbers, kept as a dimension of size 1.

    x: (B, T, C)  ->  (B, T, 1) for dim=-1 (any shape: ``dim`` shrinks to 1)

    ``keepdim=True`` keeps the averaged dimension with size 1, so that
    ``x - mean`` broadcasts each token's mean over its own C numbers.

    Tutorial: Chapter 05, Section 1: for the input embeddings of "Let's he"
    the means are [0.46, -0.45, -0.22, -0.24, -0.04, -0.01, 0.18, -0.02].
    """
    raise NotImplementedError("chapter 05: write token_mean")


def token_variance(x, dim=-1):
    """The biased variance of every token's numbers, kept as a dimension of size 1.

    x: (B, T, C)  ->  (B, T, 1) for dim=-1

    The biased variance is the average of (x - mean) ** 2: divide by C, not
    by C - 1 (``unbiased=False``, or ``correction=0``). Layer normalisation
    describes the C numbers it has; it does not estimate a population.

    Tutorial: Chapter 05, Section 1: for "Let's he" the variances are
    [2.02, 1.45, 1.00, 1.31, 0.69, 0.66, 1.63, 1.16].
    """
    raise NotImplementedError("chapter 05: write token_variance")


def normalise(x, mean, variance, eps=1e-5):
    """x_hat = (x - mean) / sqrt(variance + eps): mean 0 and variance 1 per token.

    x: (B, T, C); mean, variance: (B, T, 1)  ->  x_hat (B, T, C)

    ``eps`` goes inside the square root, so that a token whose numbers are
    all equal (variance 0) is not divided by zero.

    Tutorial: Chapter 05, Section 1 (``hat``), and its hand check: every row
    of ``hat`` has mean 0.00 and variance 1.00.
    """
    raise NotImplementedError("chapter 05: write normalise")


def scale_and_shift(x_hat, gamma, beta):
    """gamma * x_hat + beta: the learnable scale and shift, one pair per channel.

    x_hat: (B, T, C); gamma, beta: (C,)  ->  (B, T, C)

    gamma multiplies and beta is added, channel by channel (they broadcast
    along the last dimension). With gamma = ones and beta = zeros the result
    is x_hat itself.

    Tutorial: Chapter 05, Section 1 (``norm_embeddings = gammma * hat + beta``).
    """
    raise NotImplementedError("chapter 05: write scale_and_shift")


class LayerNorm(nn.Module):
    """Normalise one dimension to mean 0, variance 1, then scale and shift.

    token_length: C, the size of the last dimension (gamma and beta have C numbers)
    eps:          added to the variance inside the square root
    norm_dim:     the dimension the mean and variance are taken over (-1, the last)

    Attributes: ``eps``, ``norm_dim``, ``gamma`` (ones, shape (C,)) and
    ``beta`` (zeros, shape (C,)), both ``nn.Parameter``.
    """

    def __init__(self, token_length, eps=1e-5, norm_dim=-1):
        """Create ``gamma`` and ``beta`` and keep ``eps`` and ``norm_dim``."""
        super().__init__()
        raise NotImplementedError("chapter 05: write LayerNorm.__init__")

    def forward(self, x):
        """x: (..., C)  ->  (..., C), normalised over ``norm_dim`` (the last dimension by default)."""
        raise NotImplementedError("chapter 05: write LayerNorm.forward")
