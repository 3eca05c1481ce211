"""Mistake: ``torch.triu(torch.ones(T, T))`` in future_mask: the diagonal is marked as future.

Position t may look at itself; without ``diagonal=1`` it may not, and the
first position has nothing left to attend to (a softmax of all -inf is NaN).
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def future_mask(sequence_length):
    return torch.triu(torch.ones(sequence_length, sequence_length))  # mistake: diagonal=1
