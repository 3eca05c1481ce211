"""Chapter 03 — PositionEmbedding: where a token stands.

Attention (chapter 06) mixes tokens without knowing their order: to it,
"dog bites man" and "man bites dog" are the same bag of tokens. So every
position 0, 1, ..., T-1 gets a learnable vector of its own, added to the
token's vector in chapter 04.

The position vectors depend on the position only, never on which token is
there: position 3 gets the same vector in every sequence of the batch. So
the output has no batch dimension: (T, C), and it broadcasts over B when
added to (B, T, C).

Tutorial: Everyone's nanoGPT, Chapter 03 "PositionEmbedding": Sections 1
(``__init__``), 2 (forward) and 3 (Define a class).
"""

import torch
from torch import nn


class PositionEmbedding(nn.Module):
    """A learnable vector for each position 0 .. input_sequence_length - 1.

    input_sequence_length: the longest T the model accepts (the block length)
    embedding_dim:         C

    Attribute: ``position_embedding_layer``, an ``nn.Embedding`` of shape
    (input_sequence_length, C).
    """

    def __init__(self, input_sequence_length=8, embedding_dim=8):
        """Create one row per position."""
        super().__init__()
        self.input_sequence_length = input_sequence_length
        # BEGIN SOLUTION
        self.position_embedding_layer = nn.Embedding(input_sequence_length, embedding_dim)
        # END SOLUTION

    def forward(self, input_indices):
        """Return the vectors of positions 0 .. T-1.

        input_indices: LongTensor (B, T) of token ids; only its length T
                       and its device matter here  ->  (T, C)

        ``torch.arange(T, device=input_indices.device)`` gives the positions.
        """
        T = input_indices.shape[-1]
        if T > self.input_sequence_length:
            raise ValueError(
                f"a sequence of T = {T} tokens is longer than input_sequence_length = "
                f"{self.input_sequence_length}: there is no position vector for it "
                "(crop the input to its last input_sequence_length tokens)"
            )
        # BEGIN SOLUTION
        positions = torch.arange(T, device=input_indices.device)  # (T,)
        return self.position_embedding_layer(positions)  # (T, C)
        # END SOLUTION
