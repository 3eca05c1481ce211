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
(two heads by hand, concatenated and projected: the steps ``head_size_for``,
``concat_heads``, ``project_heads``, ``add_residual``) and 3 (Define a Class).
"""

import torch
from torch import nn

from .chapter06_attention_head import (
    AttentionHead,
    DeterministicDropout,  # noqa: F401  the tutorial's dropout, given
)


def head_size_for(embedding_dim, num_attention_heads):
    """The width H of one head when n heads share C features: H = C // n, an int.

    embedding_dim:       C, the width of every token's vector
    num_attention_heads: n, which must divide C
    returns:             int H, so that n heads of width H, joined, are C wide again

    It must be an int, not the float that ``C / n`` gives: it becomes
    ``nn.Linear``'s out_features in every head.

    Tutorial: Chapter 07, Section 1 (``__init__``): two heads of width 4 for
    embedding_dim 8, so ``head_size_for(8, 2)`` is 4.
    """
    raise NotImplementedError("chapter 07: write head_size_for")


def concat_heads(head_outputs):
    """Join the outputs of the heads side by side on the feature (last) axis, in head order.

    head_outputs: a list of n tensors, each (B, T, H)  ->  (B, T, n * H)

    Every position keeps its own vector, now n times as wide: columns
    i*H .. (i+1)*H - 1 hold head i's features. Joining on the time axis
    (dim=1) would stack positions instead, and mix them up after a reshape.

    Tutorial: Chapter 07, Section 2 (forward), ``torch.cat(head_outputs_list,
    dim=-1)``. Check point: two (1, 8, 4) heads joined into the (1, 8, 8)
    ``concatenated_attention_output``, first head in columns 0-3.
    """
    raise NotImplementedError("chapter 07: write concat_heads")


def project_heads(concatenated, projection):
    """Mix the joined heads with the output projection, an ``nn.Linear(C, C)``.

    concatenated: (B, T, C), the heads joined by ``concat_heads``
    projection:   nn.Linear(C, C) (weight and bias)
    returns:      (B, T, C) = concatenated @ W^T + b, position by position

    Each head only saw its own H columns; the projection lets every output
    feature draw on every head.

    Tutorial: Chapter 07, Section 2 (forward), ``proj_output =
    projection.forward(concatenated_attention_output)``.
    """
    raise NotImplementedError("chapter 07: write project_heads")


def add_residual(x, sublayer_output):
    """The residual connection: add a sub-layer's output to its un-normalised input.

    x:               (B, T, C), what went into the sub-layer (before any layer norm)
    sublayer_output: (B, T, C), e.g. the multi-head attention's output
    returns:         (B, T, C) = x + sublayer_output

    The sum gives gradients a straight path through a deep stack: the
    sub-layer only learns a correction to x.

    Tutorial: Chapter 07, Sections 2-3, ``residual_connection_output =
    multihead_attention_output + embeddings`` (the embeddings, not the
    normalised embeddings).
    """
    raise NotImplementedError("chapter 07: write add_residual")


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
        raise NotImplementedError("chapter 07: write MultiHeadAttention.__init__")

    def forward(self, input_tensor):
        """input_tensor: (B, T, C)  ->  (B, T, C)"""
        raise NotImplementedError("chapter 07: write MultiHeadAttention.forward")
