"""Mistake: ``queries @ keys.transpose(-2, -1)`` without the scale.

At initialisation the scores have variance head_size: with large heads the
softmax is nearly one-hot, a position attends to a single other one, and
the gradients through the other weights vanish.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1)  # mistake: * self.head_size ** -0.5
        scores = scores.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        weights = F.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
