"""Mistake: ``scores.masked_fill(self.tril == 0, ...)``: the whole (block, block) mask.

In training every input is one full block, so it works; generation starts
from a short prompt, and a (block, block) mask does not fit (T, T) scores.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        scores = scores.masked_fill(self.tril == 0, float("-inf"))  # mistake: self.tril[:T, :T]
        weights = F.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
