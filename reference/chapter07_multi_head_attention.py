"""Chapter 07 — MultiHeadAttention: several heads, several questions.

One head asks one kind of question ("which earlier vowel?"). Several heads
side by side can ask several at once. With ``num_attention_heads`` = n, each
head gets width H = C // n, so that their outputs, joined on the feature
axis, are C wide again:

    head_i(x)                                     (B, T, H)   for i = 0..n-1
    cat([head_0(x), ..., head_{n-1}(x)], dim=-1)  (B, T, n * H) = (B, T, C)
    output_projection                             (B, T, C)   mixes the heads
    dropout                                       (B, T, C)

Each head must be its own ``AttentionHead`` object with its own parameters:
``[head] * n`` would put the same head in the list n times. Keep them in an
``nn.ModuleList``, not a plain Python list, or PyTorch never sees their
weights (no training, no ``state_dict``, no ``.to(device)``).

The order matters: head i's features are columns i*H .. (i+1)*H - 1 of the
joined tensor, and the output projection learns weights for those columns.
Join on the feature axis (dim=-1); joining on the time axis would mix
positions and break causality. Dropout comes last, after the projection.

Tutorial: Everyone's nanoGPT, Chapter 07 "MultiHeadAttention": Sections 1-2
(two heads by hand, concatenated and projected) and 3 (Define a Class).
"""

import torch
from torch import nn

from .chapter06_attention_head import AttentionHead


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
        # BEGIN SOLUTION
        self.config = config
        self.num_attention_heads = config.num_attention_heads
        self.embedding_dim = config.embedding_dim
        self.head_size = self.embedding_dim // self.num_attention_heads
        self.attention_heads = nn.ModuleList(
            [AttentionHead(self.head_size, config) for _ in range(self.num_attention_heads)]
        )
        self.output_projection = nn.Linear(self.embedding_dim, self.embedding_dim)
        self.dropout = nn.Dropout(config.dropout_rate)
        # END SOLUTION

    def forward(self, input_tensor):
        """input_tensor: (B, T, C)  ->  (B, T, C)"""
        # BEGIN SOLUTION
        heads = torch.cat([head(input_tensor) for head in self.attention_heads], dim=-1)  # (B, T, C)
        return self.dropout(self.output_projection(heads))
        # END SOLUTION
