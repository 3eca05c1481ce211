"""Mistake: sample_next_token always takes the most likely token.

That is greedy decoding: the text repeats itself. torch.multinomial samples.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def sample_next_token(probabilities, generator=None):
    return torch.argmax(probabilities, dim=-1, keepdim=True)  # mistake: torch.multinomial
