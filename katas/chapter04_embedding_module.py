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
        raise NotImplementedError("chapter 04: write EmbeddingModule.__init__")

    def forward(self, input_indices):
        """input_indices: LongTensor (B, T)  ->  (B, T, C)"""
        raise NotImplementedError("chapter 04: write EmbeddingModule.forward")
