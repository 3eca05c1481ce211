"""Mistake: ``keys @ queries.transpose(-2, -1)``: scores[t, s] = key_t · query_s.

It is causal and has the right shape, but row t is now "how well t's key
answers everyone's query", not "how well everyone's key answers t's query":
attention of the transpose.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = keys @ queries.transpose(-2, -1) * self.head_size**-0.5  # mistake: queries @ keys^T
        scores = scores.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        weights = F.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
