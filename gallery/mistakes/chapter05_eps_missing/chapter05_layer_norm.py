"""Mistake: ``(x - mean) / torch.sqrt(variance)``, eps left out.

Works on random numbers; a token whose C numbers are all equal (variance 0)
becomes 0 / 0 = NaN, and one NaN spreads through the whole model.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return self.gamma * (x - mean) / torch.sqrt(variance) + self.beta  # mistake: + self.eps is missing
