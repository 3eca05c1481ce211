"""Mistake: ``scores.masked_fill(mask == 0, 0)``.

A score of 0 is not "no attention": after the softmax it is exp(0) = 1,
often more than the real scores get. The future must be -inf (or a very
negative number) so that its weight becomes exactly 0.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        scores = scores.masked_fill(self.tril[:T, :T] == 0, 0.0)  # mistake: -inf, not 0
        weights = F.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
