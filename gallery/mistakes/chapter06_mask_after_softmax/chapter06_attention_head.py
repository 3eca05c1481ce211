"""Mistake: the softmax first, then the future weights set to 0.

The weights above the diagonal are 0, so it looks causal; but the softmax has
already divided by a sum that includes the future scores. The remaining
weights no longer sum to 1, and they still depend on the future.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        weights = F.softmax(scores, dim=-1)
        weights = weights.masked_fill(self.tril[:T, :T] == 0, 0.0)  # mistake: mask the scores, before the softmax
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
