"""Mistake: ``(x - mean) / (variance + eps)``, the square root forgotten.

Dividing by the variance rescales by the square of the spread: a token with
values around +-4 comes out around +-1/4, not +-1.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class LayerNorm(correct.LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return self.gamma * (x - mean) / (variance + self.eps) + self.beta  # mistake: no torch.sqrt
