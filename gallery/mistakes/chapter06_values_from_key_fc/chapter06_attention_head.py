"""Mistake: ``weights @ keys``: the values are the keys.

A copy-paste slip: key_fc(x) twice. It trains (a little) and has the right
shape, but key and value can no longer learn different jobs, and value_fc
receives no gradient at all.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        B, T, C = x.shape
        keys, queries = self.key_fc(x), self.query_fc(x)  # (B, T, H) each; value_fc is never called
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5  # (B, T, T)
        scores = scores.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        weights = F.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        return weights @ keys  # mistake: weights @ values
