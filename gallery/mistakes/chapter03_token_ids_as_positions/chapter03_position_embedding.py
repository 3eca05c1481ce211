"""Mistake: ``self.position_embedding_layer(indices)``: the token ids are used as positions.

The input holds token ids; the positions are 0, 1, ..., T-1, whatever the
tokens. Looking the ids up gives (B, T, C) vectors that depend on the tokens
(and crash for an id >= input_sequence_length).
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class PositionEmbedding(correct.PositionEmbedding):
    def forward(self, indices):
        T = indices.shape[-1]
        if T > self.input_sequence_length:
            raise ValueError(f"T = {T} is longer than input_sequence_length = {self.input_sequence_length}")
        return self.position_embedding_layer(indices)  # mistake: should look up torch.arange(T)
