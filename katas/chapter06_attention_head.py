"""Chapter 06 — AttentionHead: tokens that look back at each other.

Until now every position was handled alone. Attention lets position t gather
information from positions 0..t. Each position makes three vectors from its
input x (B, T, C), each with its own learnable, bias-free linear layer:

    query  "what am I looking for?"       q = query_fc(x)   (B, T, H)
    key    "what do I contain?"           k = key_fc(x)     (B, T, H)
    value  "what do I hand over?"         v = value_fc(x)   (B, T, H)

How much position t attends to position s is the dot product of t's query
with s's key:

    scores = q @ k.transpose(-2, -1) * H ** -0.5           (B, T, T)

Why the scale H ** -0.5: a dot product of H random numbers of variance 1 has
variance H. Without the scale the scores grow with the head size, the
softmax saturates into a one-hot choice, and gradients vanish. The scale is
the *head* size H, not the embedding size C.

Why the mask: when training on "First Citizen", position 2 predicts the 4th
character. If it could attend to positions 3, 4, ... it would read the answer.
So scores above the diagonal (the future) are set to -inf before the
softmax, which turns them into weights of exactly 0:

    weights = softmax(masked scores, dim=-1)              (B, T, T), rows sum to 1
    weights = dropout(weights)                            only in training
    out     = weights @ v                                  (B, T, H)

Three details that decide whether it works:

* mask *before* the softmax. Zeroing weights after it leaves rows that no
  longer sum to 1, and the future still shapes them through the softmax's
  denominator. Filling with 0 instead of -inf does not hide anything either:
  exp(0) = 1. (A very negative number such as -1e9 works as well as -inf.)
* keep the diagonal: position t may look at itself. Masking it too leaves
  row 0 with nothing to attend to, and the softmax of all -inf is NaN.
* the softmax runs over the last dimension, the keys s, so that each row t
  is a set of weights over the positions t may see.

The mask is a lower-triangular matrix made once for the longest block and
stored with ``register_buffer`` (it moves with ``.to(device)`` but is not
trained, and it is not a parameter). A shorter input of length T uses its
top-left (T, T) corner: ``tril[:T, :T]``. Building the mask on the fly in
``forward`` is fine too.

Dropout here acts on the attention *weights*, not on the output: in
training it makes each position ignore a random few of the positions it
sees. Use the module ``self.dropout`` (``nn.Dropout``), which ``eval()``
switches off; the tests read the attention weights as they pass through it.

Tutorial: Everyone's nanoGPT, Chapter 06 "AttentionHead": Sections 2-8 (keys,
queries, values, scores, scaling, the mask, softmax, dropout, the weighted
sum) and 10 (Define a class). The tutorial's answer builds the mask inside
``forward`` with ``torch.triu(..., diagonal=1)``; its later chapters use the
``tril`` buffer, as here. Both pass.
"""

import torch
from torch import nn
from torch.nn import functional as F


class AttentionHead(nn.Module):
    """One head of causal (masked) self-attention.

    head_size: H, the width of the queries, keys, values and the output
    config:    needs ``embedding_dim`` (C), ``input_sequence_length`` and
               ``dropout_rate``

    Attributes: ``key_fc``, ``query_fc``, ``value_fc`` (``nn.Linear(C, H,
    bias=False)``, created in this order), the buffer ``tril`` (the causal
    mask), ``dropout`` (``nn.Dropout``, applied to the weights) and
    ``head_size``.
    """

    def __init__(self, head_size, config):
        """Create the three projections, the dropout and the causal mask."""
        super().__init__()
        raise NotImplementedError("chapter 06: write AttentionHead.__init__")

    def forward(self, input_tensor):
        """input_tensor: (B, T, C) with T <= input_sequence_length  ->  (B, T, H)"""
        raise NotImplementedError("chapter 06: write AttentionHead.forward")
