"""Alternative: no stored mask; a boolean (T, T) "future" mask made for each call, on x's device."""

import torch
from torch import nn
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def __init__(self, head_size, config):
        nn.Module.__init__(self)
        self.head_size = head_size
        self.key_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.query_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.value_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.dropout = nn.Dropout(config.dropout_rate)

    def forward(self, x):
        T = x.shape[1]
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(diagonal=1)
        scores = self.query_fc(x) @ self.key_fc(x).transpose(-2, -1) * self.head_size**-0.5
        weights = self.dropout(F.softmax(scores.masked_fill(future, float("-inf")), dim=-1))
        return weights @ self.value_fc(x)
