"""Mistake: ``nn.ModuleList([AttentionHead(head_size, config)] * n)``.

Multiplying a list repeats the *same* object: n entries, one head, one set
of weights. Every "head" computes the same thing, and n heads are no better
than one.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class MultiHeadAttention(correct.MultiHeadAttention):
    def __init__(self, config):
        nn.Module.__init__(self)
        head_size = config.embedding_dim // config.num_attention_heads
        self.attention_heads = nn.ModuleList(
            [correct.AttentionHead(head_size, config)] * config.num_attention_heads  # mistake: one object, n times
        )
        self.output_projection = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.dropout = nn.Dropout(config.dropout_rate)
