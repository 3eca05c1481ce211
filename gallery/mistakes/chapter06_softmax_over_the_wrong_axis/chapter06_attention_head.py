"""Mistake: ``F.softmax(scores, dim=1)``: over the queries, not over the keys.

For (B, T, T) scores dim=1 is the query axis: each *column* sums to 1, not
each row, so a position's weights no longer form a distribution over what it
may see, and the columns mix in the future.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries, values = self.key_fc(x), self.query_fc(x), self.value_fc(x)  # (B, T, H) each
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        scores = scores.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        weights = F.softmax(scores, dim=1)  # mistake: dim=-1, across each row
        weights = self.dropout(weights)
        return weights @ values  # (B, T, H)
