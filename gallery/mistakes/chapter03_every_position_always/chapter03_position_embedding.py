"""Mistake: ``torch.arange(self.input_sequence_length)``: always every position of the block.

Fine while every input is exactly one block long, as in training; generation
starts from a one-character prompt, and (block, C) position vectors no longer
match (B, T, C) token vectors.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class PositionEmbedding(correct.PositionEmbedding):
    def forward(self, indices):
        T = indices.shape[-1]
        if T > self.input_sequence_length:
            raise ValueError(f"T = {T} is longer than input_sequence_length = {self.input_sequence_length}")
        positions = torch.arange(self.input_sequence_length, device=indices.device)  # mistake: not arange(T)
        return self.position_embedding_layer(positions)
