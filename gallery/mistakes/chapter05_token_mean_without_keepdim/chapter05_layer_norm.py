"""Mistake: ``x.mean(dim=dim)`` in token_mean: the averaged dimension disappears.

The means come back (B, T) instead of (B, T, 1); then ``x - mean`` lines the
T means up with the C channels (or fails), not with each token.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def token_mean(x, dim=-1):
    return x.mean(dim=dim)  # mistake: keepdim=True is missing
