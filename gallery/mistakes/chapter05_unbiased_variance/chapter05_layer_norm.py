"""Mistake: ``x.var(dim=-1, keepdim=True)``, whose default is the *unbiased* variance.

torch.var divides by C - 1 unless told ``unbiased=False`` (or ``correction=0``).
Layer norm divides by C: with C = 4 the outputs' variance comes out 3/4
instead of 1. Small for C = 64, but not the layer norm every GPT uses.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True)  # mistake: unbiased, divides by C - 1
        return self.gamma * (x - mean) / torch.sqrt(variance + self.eps) + self.beta
