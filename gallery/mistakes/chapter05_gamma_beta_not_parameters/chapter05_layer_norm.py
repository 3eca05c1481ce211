"""Mistake: ``self.gamma = torch.ones(C)``, a plain tensor.

Forward computes the right numbers, so nothing looks wrong; but a plain
tensor attribute is not in ``module.parameters()``: the optimiser never sees
gamma and beta, and they never learn.
"""

import torch
from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def __init__(self, normalized_size, eps=1e-5):
        nn.Module.__init__(self)
        self.eps = eps
        self.gamma = torch.ones(normalized_size)  # mistake: nn.Parameter(torch.ones(normalized_size))
        self.beta = torch.zeros(normalized_size)
