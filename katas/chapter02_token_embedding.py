"""Chapter 02 — TokenEmbedding: a learnable vector for every character.

An id such as 42 says nothing about the character it stands for. The model
gives every id its own row of ``embedding_dim`` (C) numbers, a table of shape
(V, C), and learns those numbers in training: characters that behave alike
end up with similar rows.

Looking a row up is exactly what ``nn.Embedding(V, C)`` does: indices of
any shape (...) come back as vectors of shape (..., C).

Tutorial: Everyone's nanoGPT, Chapter 02 "TokenEmbedding": Sections 2
(``__init__``), 3 (embed) and 4 (Define a class). As there, the lookup is the
method ``embed``; the kata adds a ``forward`` that calls it, so that
``module(input_indices)`` works as for any other PyTorch module.
"""

from torch import nn


class TokenEmbedding(nn.Module):
    """Map token ids to learnable vectors.

    vocab_size:    V, how many different ids exist
    embedding_dim: C, numbers per vector

    Attribute: ``token_embedding_table``, an ``nn.Embedding`` of shape (V, C).
    Method: ``embed(input_indices)``, the lookup (``forward`` calls it).
    """

    def __init__(self, vocab_size, embedding_dim):
        """Create the (V, C) embedding table."""
        super().__init__()
        raise NotImplementedError("chapter 02: write TokenEmbedding.__init__")

    def embed(self, input_indices):
        """Look up every id.

        input_indices: LongTensor (...), usually (B, T)  ->  (..., C)
        """
        raise NotImplementedError("chapter 02: write TokenEmbedding.embed")

    def forward(self, input_indices):
        """Given: ``module(input_indices)`` is ``module.embed(input_indices)``."""
        return self.embed(input_indices)
