"""Chapter 04 — EmbeddingModule: what a token is, plus where it is.

The model's input at every position is the sum of two vectors: the token's
embedding (chapter 02) and the position's embedding (chapter 03).

    token vectors     (B, T, C)
  + position vectors     (T, C)   broadcast: the same for every sequence
  = input vectors     (B, T, C)

Tutorial: Everyone's nanoGPT, Chapter 04 "EmbeddingModule": Sections 1
(``__init__``), 2 (forward: the step ``add_position_embeddings``) and 3
(Define a class). The token vectors come
from ``TokenEmbedding.embed``, as in the tutorial.
"""

from torch import nn

from .chapter02_token_embedding import TokenEmbedding
from .chapter03_position_embedding import PositionEmbedding


def add_position_embeddings(token_embeddings, position_embeddings):
    """Add each position's vector to the token vector found at that position.

    token_embeddings:    (B, T, C) one vector per token of every sequence (chapter 02)
    position_embeddings: (T, C)    one vector per position 0..T-1 (chapter 03)
    returns:             (B, T, C) token vector + position vector

    The position table has no batch dimension: broadcasting lines the two up
    from the right, so the same (T, C) block is added to every sequence of
    the batch. Position t's vector goes to token t, whatever the token is.
    Adding (not concatenating) keeps the width C.

    Tutorial: Chapter 04, Section 2 (forward): the [1, 8, 8] token embeddings
    of "Let's he" plus the [8, 8] position embeddings give the [1, 8, 8]
    input embeddings.
    """
    # BEGIN SOLUTION
    return token_embeddings + position_embeddings  # (B, T, C) + (T, C) -> (B, T, C)
    # END SOLUTION


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
        return add_position_embeddings(token_vectors, position_vectors)  # (B, T, C)
        # END SOLUTION
