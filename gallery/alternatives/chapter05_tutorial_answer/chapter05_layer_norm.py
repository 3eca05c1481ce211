"""Chapter 05, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 05 "Layer Normalization": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch
from torch import nn

from gallery import correct_chapter

# The tutorial's answer holds the classes; the chapter's steps come from the reference.
correct_chapter(__name__)


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
        self.eps = eps
        self.norm_dim = norm_dim
        self.gamma = nn.Parameter(torch.ones(token_length))
        self.beta = nn.Parameter(torch.zeros(token_length))

    def forward(self, x):
        """x: (..., C)  ->  (..., C), normalised over ``norm_dim`` (the last dimension by default)."""
        mean = torch.mean(x, dim=self.norm_dim, keepdim=True)
        var = torch.var(x, dim=self.norm_dim, keepdim=True, unbiased=False)
        hat = (x - mean) / torch.sqrt(var + self.eps)
        return self.gamma * hat + self.beta
