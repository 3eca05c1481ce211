"""Alternative: the future filled with -1e9 instead of -inf.

exp(-1e9 - max) underflows to exactly 0 in float32, so the weights are the
same; some people prefer it because a row can never become all -inf.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def forward(self, x):
        T = x.shape[1]
        queries, keys, values = self.query_fc(x), self.key_fc(x), self.value_fc(x)
        scores = queries @ keys.transpose(-2, -1) * self.head_size**-0.5
        scores = scores.masked_fill(self.tril[:T, :T] == 0, -1e9)
        return self.dropout(F.softmax(scores, dim=-1)) @ values
