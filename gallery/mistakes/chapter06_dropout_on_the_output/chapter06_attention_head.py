"""Mistake: ``return self.dropout(weights @ values)``.

Dropout in attention drops *weights*: some position is not attended to
this step. Dropping output features instead is a different regularisation,
and it is not the model of the course (nor of GPT).
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
        weights = F.softmax(scores, dim=-1)
        return self.dropout(weights @ values)  # mistake: dropout belongs on the weights
