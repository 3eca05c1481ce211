"""Mistake: ``AttentionHead(config.embedding_dim, config)`` for every head, and the projection widened to fit.

Each head should get C // n features, so that the n heads together are C
wide. Full-width heads make the layer n times larger and slower, and the
(n * C, C) projection papers over it.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class MultiHeadAttention(correct.MultiHeadAttention):
    def __init__(self, config):
        nn.Module.__init__(self)
        width, count = config.embedding_dim, config.num_attention_heads
        self.attention_heads = nn.ModuleList([correct.AttentionHead(width, config) for _ in range(count)])  # mistake
        self.output_projection = nn.Linear(count * width, width)
        self.dropout = nn.Dropout(config.dropout_rate)
