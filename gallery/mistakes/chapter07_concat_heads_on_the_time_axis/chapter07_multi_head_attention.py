"""Mistake: concat_heads joins the heads on the time axis (dim=1).

The result is (B, n * T, H): the heads' outputs stacked as if they were more
positions, not more features.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)


def concat_heads(head_outputs):
    return torch.cat(head_outputs, dim=1)  # mistake: dim=-1, the feature axis
