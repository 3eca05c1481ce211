"""Mistake: ``torch.arange(1, T + 1)``: positions counted from one, as people count.

Python counts from zero: position 0 never gets its vector, every position
gets its neighbour's, and a full-length input asks for row T, which does not
exist.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class PositionEmbedding(correct.PositionEmbedding):
    def forward(self, indices):
        T = indices.shape[-1]
        if T > self.input_sequence_length:
            raise ValueError(f"T = {T} is longer than input_sequence_length = {self.input_sequence_length}")
        positions = torch.arange(1, T + 1, device=indices.device)  # mistake: 0 .. T-1, not 1 .. T
        return self.position_embedding_layer(positions)
