"""Mistake: the mask built with ``torch.triu``: the past is hidden and the future shown.

tril and triu differ by one letter. ``masked_fill(triu(ones) == 0, -inf)``
hides everything *below* the diagonal: each position sees itself and the
future, exactly the wrong half.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        T = x.shape[1]
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        upper = torch.triu(torch.ones(T, T, device=x.device))  # mistake: torch.tril
        scores = scores.masked_fill(upper == 0, float("-inf"))
        weights = self.dropout(F.softmax(scores, dim=-1))
        return weights @ values  # (B, T, H)
