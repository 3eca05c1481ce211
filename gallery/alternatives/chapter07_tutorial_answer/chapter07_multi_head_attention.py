"""Chapter 07, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 07 "MultiHeadAttention": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch
from torch import nn

from gallery import correct_chapter

from .chapter06_attention_head import AttentionHead

correct_chapter(__name__)  # every step the answer does not define comes from the correct chapter


class MultiHeadAttention(nn.Module):
    """n causal attention heads in parallel, joined and projected.

    config: needs ``embedding_dim`` (C), ``num_attention_heads`` (n, dividing
            C), ``input_sequence_length`` and ``dropout_rate``

    Attributes: ``config``, ``num_attention_heads`` (n), ``embedding_dim``
    (C), ``head_size`` (C // n), ``attention_heads`` (``nn.ModuleList`` of n
    AttentionHead of that size), ``output_projection`` (``nn.Linear(C, C)``)
    and ``dropout``.
    """

    def __init__(self, config):
        """Create the heads, the output projection and the dropout."""
        super().__init__()
        self.config = config
        self.num_attention_heads = config.num_attention_heads
        self.embedding_dim = config.embedding_dim
        self.head_size = int(self.embedding_dim / self.num_attention_heads)
        self.attention_heads = nn.ModuleList(
            [AttentionHead(self.head_size, config) for _ in range(self.num_attention_heads)]
        )
        self.output_projection = nn.Linear(self.embedding_dim, self.embedding_dim)
        self.dropout = nn.Dropout(config.dropout_rate)

    def forward(self, input_tensor):
        """input_tensor: (B, T, C)  ->  (B, T, C)"""
        head_outputs = [head.forward(input_tensor) for head in self.attention_heads]
        concatenated_attention_output = torch.cat(head_outputs, dim=-1)
        projected_output = self.output_projection.forward(concatenated_attention_output)
        multihead_attention_output = self.dropout.forward(projected_output)
        return multihead_attention_output
