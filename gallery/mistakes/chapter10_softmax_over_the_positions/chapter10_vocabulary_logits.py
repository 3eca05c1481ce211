"""Mistake: next_character_probabilities takes the softmax over the time axis (dim=1).

Each position's guess must be a distribution over the vocabulary: dim=-1.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def next_character_probabilities(logits):
    return torch.softmax(logits, dim=1)  # mistake: dim=-1
