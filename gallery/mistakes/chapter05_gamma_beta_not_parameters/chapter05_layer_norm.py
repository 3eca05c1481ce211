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
    def __init__(self, token_length, eps=1e-5, norm_dim=-1):
        nn.Module.__init__(self)
        self.eps = eps
        self.norm_dim = norm_dim
        self.gamma = torch.ones(token_length)  # mistake: nn.Parameter(torch.ones(token_length))
        self.beta = torch.zeros(token_length)
