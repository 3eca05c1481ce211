"""Mistake: ``self.tril = torch.tril(torch.ones(block, block))``, a plain tensor attribute.

It works on the CPU. But ``model.to("cuda")`` moves parameters and buffers
only: the mask stays on the CPU, and the first forward pass on the GPU fails
with "Expected all tensors to be on the same device". ``register_buffer``
makes the mask part of the module, so that it moves with it.
"""

import torch
from torch import nn

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
        block = config.input_sequence_length
        self.tril = torch.tril(torch.ones(block, block))  # mistake: self.register_buffer("tril", ...)
