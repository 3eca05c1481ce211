"""Chapter 04 — EmbeddingModule: what a token is, plus where it is.

The model's input at every position is the sum of two vectors: the token's
embedding (chapter 02) and the position's embedding (chapter 03).

    token vectors     (B, T, C)
  + position vectors     (T, C)   broadcast: the same for every sequence
  = input vectors     (B, T, C)

Tutorial: Everyone's nanoGPT, Chapter 04 "EmbeddingModule": Sections 1
(``__init__``), 2 (forward) and 3 (Define a class). The token vectors come
from ``TokenEmbedding.embed``, as in the tutorial.
"""

from torch import nn

from .chapter02_token_embedding import TokenEmbedding
from .chapter03_position_embedding import PositionEmbedding


class EmbeddingModule(nn.Module):
    """Token embedding plus position embedding.

    vocab_size: V
    config:     needs ``input_sequence_length`` and ``embedding_dim``

    Attributes: ``token_embedding_layer`` (a TokenEmbedding) and
    ``position_embedding_layer`` (a PositionEmbedding).
    """

    def __init__(self, vocab_size, config):
        """Create both embeddings with width ``config.embedding_dim``."""
        super().__init__()
        # BEGIN SOLUTION
        self.token_embedding_layer = TokenEmbedding(vocab_size=vocab_size, embedding_dim=config.embedding_dim)
        self.position_embedding_layer = PositionEmbedding(
            input_sequence_length=config.input_sequence_length, embedding_dim=config.embedding_dim
        )
        # END SOLUTION

    def forward(self, input_indices):
        """input_indices: LongTensor (B, T)  ->  (B, T, C)"""
        # BEGIN SOLUTION
        token_vectors = self.token_embedding_layer.embed(input_indices)  # (B, T, C)
        position_vectors = self.position_embedding_layer(input_indices)  # (T, C)
        return token_vectors + position_vectors  # (B, T, C)
        # END SOLUTION
