"""Mistake: ``torch.cat(head_outputs, dim=1)``, then reshaped until the shapes fit.

dim=1 is the time axis of (B, T, H): the heads end up one after another in
time, (B, n * T, H). Reshaping that to (B, T, C) runs, but each position's
vector is now made of pieces of *other* positions, from one head.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class MultiHeadAttention(correct.MultiHeadAttention):
    def forward(self, x):
        B, T, C = x.shape
        heads = torch.cat([head(x) for head in self.attention_heads], dim=1)  # mistake: (B, n * T, H)
        return self.dropout(self.output_projection(heads.reshape(B, T, C)))
