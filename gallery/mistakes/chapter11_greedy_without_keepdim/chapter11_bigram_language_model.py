"""Mistake: sample_greedy drops the last axis: (B,) instead of (B, 1).

A (B,) tensor cannot be joined to the (B, T) sequence on the time axis.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def sample_greedy(probabilities):
    return torch.argmax(probabilities, dim=-1)  # mistake: keepdim=True
