"""Alternative: mean and biased variance in one call, ``torch.var_mean(..., correction=0)``."""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def forward(self, x):
        variance, mean = torch.var_mean(x, dim=self.norm_dim, keepdim=True, correction=0)
        return (x - mean) * torch.rsqrt(variance + self.eps) * self.gamma + self.beta
