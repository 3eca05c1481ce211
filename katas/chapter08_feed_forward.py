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
second layer norm, the layers by hand) and 3 (Define a Class).
"""

from torch import nn


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
