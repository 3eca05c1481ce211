"""Mistake: ``x.var(dim=dim, keepdim=True)`` in token_variance: torch's default is the unbiased variance.

It divides by C - 1; layer normalisation divides by C. For the tutorial's
"Let's he" the first token's variance comes out 2.31, not 2.02.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def token_variance(x, dim=-1):
    return x.var(dim=dim, keepdim=True)  # mistake: unbiased=False is missing
