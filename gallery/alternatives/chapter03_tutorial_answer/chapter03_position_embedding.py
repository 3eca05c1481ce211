"""Chapter 03, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 03 "PositionEmbedding": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch
from torch import nn

from gallery import correct_chapter

correct_chapter(__name__)  # the steps are the learner's own code: they fall through to the reference


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
        self.position_embedding_layer = nn.Embedding(input_sequence_length, embedding_dim)

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
        token_length = input_indices.shape[1]
        position_indices = torch.arange(token_length, device=input_indices.device)
        position_embeddings = self.position_embedding_layer.forward(position_indices)
        return position_embeddings
