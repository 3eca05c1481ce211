"""Mistake: forward returns the concatenated heads; ``output_projection`` is made but never used.

The shape is right, so nothing crashes. But each head only sees its own
slice of the features: the projection is what lets the heads' results mix.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class MultiHeadAttention(correct.MultiHeadAttention):
    def forward(self, x):
        heads = torch.cat([head(x) for head in self.attention_heads], dim=-1)
        return self.dropout(heads)  # mistake: self.dropout(self.output_projection(heads))
