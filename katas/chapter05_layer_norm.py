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

Tutorial: Everyone's nanoGPT, Chapter 05 "Layer Normalization": Sections 1
(forward) and 2 (Define a Class). Later chapters use ``nn.LayerNorm``, which
computes the same; yours passes their tests too.
"""

import torch
from torch import nn


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
