"""Mistake: ``torch.arange(T)`` without ``device=indices.device``.

On a laptop's CPU nothing shows; on a GPU the positions live on the CPU while
the table lives on the GPU, and the first training step fails with "Expected
all tensors to be on the same device".
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class PositionEmbedding(correct.PositionEmbedding):
    def forward(self, indices):
        T = indices.shape[-1]
        if T > self.input_sequence_length:
            raise ValueError(f"T = {T} is longer than input_sequence_length = {self.input_sequence_length}")
        positions = torch.arange(T)  # mistake: on the CPU, whatever device the model is on
        return self.position_embedding_layer(positions)
