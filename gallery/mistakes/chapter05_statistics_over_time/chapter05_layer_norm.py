"""Mistake: ``x.mean(dim=1, keepdim=True)``: right for a (B, C) batch, wrong for (B, T, C).

Written for 2-D input (as in the BatchNorm lesson's exercise), dim=1 is the
last dimension; on the model's (B, T, C) activations it averages over time,
so every token's output depends on the other tokens, the future included.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=1, keepdim=True)  # mistake: dim=-1, the C numbers of one token
        variance = x.var(dim=1, keepdim=True, unbiased=False)
        return self.gamma * (x - mean) / torch.sqrt(variance + self.eps) + self.beta
