"""Alternative: the variance as mean of squares minus square of the mean, E[x²] - E[x]².

Algebraically the biased variance; numerically a little less exact than
averaging (x - mean)², well within the tests' tolerance for activations of
ordinary size. eps and the parameters kept under other attribute order.
"""

import torch
from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def __init__(self, token_length, eps=1e-5, norm_dim=-1):
        nn.Module.__init__(self)
        self.beta = nn.Parameter(torch.zeros(token_length))
        self.gamma = nn.Parameter(torch.ones(token_length))
        self.norm_dim = norm_dim
        self.eps = eps

    def forward(self, x):
        size = x.shape[self.norm_dim]
        mean = x.sum(dim=self.norm_dim, keepdim=True) / size
        second_moment = (x * x).sum(dim=self.norm_dim, keepdim=True) / size
        variance = (second_moment - mean * mean).clamp_min(0.0)
        return self.gamma * ((x - mean) / (variance + self.eps).sqrt()) + self.beta
