"""Mistake: ``scores.masked_fill(future, 0.0)`` in mask_future: 0 hides nothing.

After the softmax exp(0) = 1, so the future keeps a weight like any other
score near 0. The future must be -inf (or a very negative number).
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def mask_future(scores):
    T = scores.shape[-1]
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    return scores.masked_fill(future, 0.0)  # mistake: float('-inf')
