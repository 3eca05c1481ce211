"""Mistake: ``torch.cat([token_vectors, position_vectors], dim=-1)`` instead of adding them.

Concatenating keeps both pieces of information too, but the vectors become
2C wide and every later layer, built for C, no longer fits.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class EmbeddingModule(correct.EmbeddingModule):
    def forward(self, indices):
        token_vectors = self.token_embedding_layer(indices)  # (B, T, C)
        position_vectors = self.position_embedding_layer(indices).expand_as(token_vectors)  # (B, T, C)
        return torch.cat([token_vectors, position_vectors], dim=-1)  # mistake: (B, T, 2C)
