"""Alternative: the mask registered first (a boolean buffer, True on the future) and the three
projections created value, query, key: other random start values, the same attention.
"""

import torch
from torch import nn
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def __init__(self, head_size, config):
        nn.Module.__init__(self)
        block = config.input_sequence_length
        self.register_buffer("future", torch.ones(block, block, dtype=torch.bool).triu(diagonal=1), persistent=False)
        self.dropout = nn.Dropout(config.dropout_rate)
        self.value_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.query_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.key_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.scale = head_size**-0.5

    def forward(self, x):
        T = x.shape[1]
        scores = (self.query_fc(x) * self.scale) @ self.key_fc(x).transpose(1, 2)
        weights = F.softmax(scores.masked_fill(self.future[:T, :T], float("-inf")), dim=2)
        return self.dropout(weights) @ self.value_fc(x)
