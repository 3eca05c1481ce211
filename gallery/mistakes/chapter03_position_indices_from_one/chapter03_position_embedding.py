"""Mistake: the positions are counted 1 .. T instead of 0 .. T-1.

``torch.arange(1, T + 1)`` skips row 0 of the table and asks for a row T
that a full-length sequence does not have.

As in a learner's kata, the class calls the step: the wrong step is wired
into this entry's copy of the correct chapter too.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


def position_indices(input_indices):
    T = input_indices.shape[1]
    return torch.arange(1, T + 1, device=input_indices.device)  # mistake: positions start at 0


correct.position_indices = position_indices
