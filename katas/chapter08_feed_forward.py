"""Chapter 08 — FeedForward: every token thinks on its own.

Attention moves information *between* positions. The feed-forward network
then processes each position by itself, with the same weights everywhere:

    Linear(C, hidden_dim)   (B, T, C) -> (B, T, hidden_dim)   widen (GPT: 4 * C)
    ReLU                    keep positives, zero negatives: the non-linearity
    Linear(hidden_dim, C)   (B, T, hidden_dim) -> (B, T, C)   back to C
    Dropout                 only in training

Without the ReLU, two linear layers in a row would collapse into one: the
network would be an affine map, f(a + b) = f(a) + f(b) - f(0). Dropout goes
at the very end, after the second Linear.

``nn.Linear`` only touches the last dimension, so the same network works on
(N, C), (B, T, C) or any other leading shape, every position on its own.

Tutorial: Everyone's nanoGPT, Chapter 08 "FeedForward": Sections 1-2 (the
second layer norm, the layers by hand: the steps ``hidden_layer``, ``relu``,
``output_layer``) and 3 (Define a Class).
"""

import torch
from torch import nn

from .chapter06_attention_head import DeterministicDropout  # noqa: F401  the tutorial's dropout, given


def hidden_layer(x, fc1):
    """Widen every position's vector with the first Linear layer.

    x:       (B, T, C), the normalised residual stream
    fc1:     nn.Linear(C, hidden_dim)
    returns: (B, T, hidden_dim) = x @ W1^T + b1, every position on its own

    Tutorial: Chapter 08, Section 2 (forward), ``fc1_feedforward =
    nn.Linear(8, 16)`` with hidden_dim = 2 * embedding_dim: (1, 8, 8) in,
    ``fc1_feedforward_output`` (1, 8, 16) out.
    """
    raise NotImplementedError("chapter 08: write hidden_layer")


def relu(x):
    """The non-linearity between the two layers: keep positives, zero the negatives.

    x:       any shape  ->  same shape, each element or 0, whichever is larger

    Without it, two Linear layers in a row would collapse into one affine
    map, and the feed-forward network would learn nothing a single layer
    could not.

    Tutorial: Chapter 08, Section 2 (forward), ``relu = nn.ReLU()``;
    ``relu.forward(fc1_feedforward_output)``.
    """
    raise NotImplementedError("chapter 08: write relu")


def output_layer(hidden, fc2):
    """Narrow every position's vector back to C with the second Linear layer.

    hidden:  (B, T, hidden_dim), the ReLU's output
    fc2:     nn.Linear(hidden_dim, C)
    returns: (B, T, C) = hidden @ W2^T + b2

    Tutorial: Chapter 08, Section 2 (forward), ``fc2_feedforward =
    nn.Linear(16, 8)`` applied to the ReLU output -> (1, 8, 8).
    """
    raise NotImplementedError("chapter 08: write output_layer")


class FeedForward(nn.Module):
    """Position-wise two-layer network with a ReLU between.

    config: needs ``embedding_dim`` (C), ``hidden_dim`` and ``dropout_rate``

    Attribute: ``net``, an ``nn.Sequential`` of Linear(C, hidden_dim), ReLU,
    Linear(hidden_dim, C), Dropout.
    """

    def __init__(self, config):
        """Create ``net``."""
        super().__init__()
        raise NotImplementedError("chapter 08: write FeedForward.__init__")

    def forward(self, input_tensor):
        """input_tensor: (..., C)  ->  (..., C)"""
        raise NotImplementedError("chapter 08: write FeedForward.forward")
