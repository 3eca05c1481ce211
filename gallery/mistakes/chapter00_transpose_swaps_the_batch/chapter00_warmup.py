"""Mistake: the transpose swaps the batch and time dimensions, not the last two.

``x.transpose(0, 1)`` (or ``x.T`` thought of as "the" transpose) moves the
batch dimension. Attention needs keys (B, T, H) as (B, H, T): the last two
dimensions, ``transpose(-2, -1)``.
"""

from gallery import correct_chapter

correct_chapter(__name__)  # every other step falls through to the correct chapter


def swap_last_two_dims(x):
    return x.transpose(0, 1)  # mistake: should be transpose(-2, -1)
