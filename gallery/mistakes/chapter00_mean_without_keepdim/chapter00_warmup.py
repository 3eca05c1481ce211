"""Mistake: the mean over the last dimension drops that dimension.

``x.mean(dim=-1)`` gives (B, T), not (B, T, 1). Subtracting it from x then
lines T up against C (or fails), and LayerNorm (chapter 05) centres every
row with the wrong numbers.
"""

from gallery import correct_chapter

correct_chapter(__name__)  # every other step falls through to the correct chapter


def mean_keepdim(x):
    return x.mean(dim=-1)  # mistake: keepdim=True forgotten
