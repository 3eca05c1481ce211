"""Mistake: ``(x - mean) / (torch.sqrt(variance) + eps)``.

It avoids the division by zero too, but it is not the layer norm of the
paper or of PyTorch: for tokens of small variance the outputs differ a lot,
and weights trained with one do not work with the other.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return self.gamma * (x - mean) / (torch.sqrt(variance) + self.eps) + self.beta  # mistake: eps outside
