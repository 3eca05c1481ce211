"""Chapter 02 — TokenEmbedding: a learnable vector for every character.

An id such as 42 says nothing about the character it stands for. The model
gives every id its own row of ``embedding_dim`` (C) numbers, a table of shape
(V, C), and learns those numbers in training: characters that behave alike
end up with similar rows.

Looking a row up is exactly what ``nn.Embedding(V, C)`` does: indices of
any shape (...) come back as vectors of shape (..., C).

Tutorial: Everyone's nanoGPT, Chapter 02 "TokenEmbedding". Each section is a
step, in the tutorial's order: Section 2 (``__init__``) ``embedding_table``,
Section 3 (embed) ``lookup``; Section 4 (Define a class) is the
``TokenEmbedding`` class, which may use them. As there, the lookup is the
method ``embed``; the kata adds a ``forward`` that calls it, so that
``module(input_indices)`` works as for any other PyTorch module.
"""

from torch import nn


def embedding_table(vocab_size, embedding_dim):
    """Create the learnable table of token vectors: one row of C numbers per id.

    vocab_size: V, embedding_dim: C  ->  ``nn.Embedding`` whose weight is (V, C)

    The rows start as random numbers (drawn from torch's generator) and are
    learned in training. Check point: the table of the play is (65, 8);
    right after torch.manual_seed(1337) its row 0 is
    [0.18, -0.07, -0.36, -0.92, 0.63, 0.03, 0.95, 0.06].

    Tutorial: Chapter 02, Section 2 (``__init__``).
    """
    # BEGIN SOLUTION
    return nn.Embedding(vocab_size, embedding_dim)
    # END SOLUTION


def lookup(table, input_indices):
    """Replace every token id by its row of the table.

    table: ``nn.Embedding`` (V, C), input_indices: LongTensor (B, T)  ->  (B, T, C)

    Calling the table (``table(input_indices)`` or ``table.forward(...)``)
    does the lookup for indices of any shape. Example: the tutorial's input
    [[24, 43, 58, 5, 57, 1, 46, 43]] ("Let's he") gives rows 24, 43, 58, 5,
    57, 1, 46, 43 of the table, shape (1, 8, 8); the two 43s get the same row.

    Tutorial: Chapter 02, Section 3 (embed).
    """
    # BEGIN SOLUTION
    return table(input_indices)  # (B, T, C)
    # END SOLUTION


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
        # BEGIN SOLUTION
        self.token_embedding_table = embedding_table(vocab_size, embedding_dim)
        # END SOLUTION

    def embed(self, input_indices):
        """Look up every id.

        input_indices: LongTensor (...), usually (B, T)  ->  (..., C)
        """
        # BEGIN SOLUTION
        return lookup(self.token_embedding_table, input_indices)
        # END SOLUTION

    def forward(self, input_indices):
        """Given: ``module(input_indices)`` is ``module.embed(input_indices)``."""
        return self.embed(input_indices)
