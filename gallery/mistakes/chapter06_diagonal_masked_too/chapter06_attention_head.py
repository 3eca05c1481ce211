"""Mistake: ``torch.triu(..., diagonal=0)`` (or ``tril(..., diagonal=-1)``) as the mask.

Hiding the diagonal hides each position from itself: position 0 then sees
nothing at all, its row of scores is all -inf, and the softmax gives NaN.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        future_or_present = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=0)  # mistake: diagonal=1
        scores = scores.masked_fill(future_or_present, float("-inf"))
        weights = F.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
