"""Mistake: ``scores / head_size`` in scale_scores: the scale is 1 / sqrt(head_size).

The scores' variance is head_size; dividing by the standard deviation,
sqrt(head_size), brings it back to 1. Dividing by head_size shrinks the
scores too far and the softmax flattens towards uniform weights.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def scale_scores(scores, head_size):
    return scores / head_size  # mistake: head_size ** -0.5
