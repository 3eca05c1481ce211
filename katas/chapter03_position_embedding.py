"""Chapter 03 — PositionEmbedding: where a token stands.

Attention (chapter 06) mixes tokens without knowing their order: to it,
"dog bites man" and "man bites dog" are the same bag of tokens. So every
position 0, 1, ..., T-1 gets a learnable vector of its own, added to the
token's vector in chapter 04.

The position vectors depend on the position only, never on which token is
there: position 3 gets the same vector in every sequence of the batch. So
the output has no batch dimension: (T, C), and it broadcasts over B when
added to (B, T, C).

Tutorial: Everyone's nanoGPT, Chapter 03 "PositionEmbedding". Each section is
a step, in the tutorial's order: Section 1 (``__init__``) ``position_table``;
Section 2 (forward) ``lookup_one_position``, ``position_indices`` and
``position_vectors``. Section 3 (Define a class) is the ``PositionEmbedding``
class, which may use them.
"""

import torch
from torch import nn


def position_table(input_sequence_length, embedding_dim):
    """Create the learnable table of position vectors: one row of C numbers per position.

    input_sequence_length: the longest T, embedding_dim: C
    ->  ``nn.Embedding`` whose weight is (input_sequence_length, C)

    The same kind of table as the token embedding table, but indexed by a
    position 0 .. T-1 instead of a token id. Check point: after
    torch.manual_seed(1337) and a (65, 8) token table, the (8, 8) position
    table's row 0 is [0.45, -1.17, 1.60, -0.83, 0.33, 0.76, -0.66, -0.43].

    Tutorial: Chapter 03, Section 1 (``__init__``).
    """
    raise NotImplementedError("chapter 03: write position_table")


def lookup_one_position(table, position):
    """Look up the vector of one position, as a batch of one index.

    table: ``nn.Embedding`` (input_sequence_length, C), position: int  ->  (1, C)

    The table is indexed by a LongTensor, here ``torch.tensor([position])``
    of shape (1,), which gives one row: shape (1, C). Example: position 2 of
    the tutorial's seeded (8, 8) table is
    [[-1.19, 1.36, 0.59, 0.35, 1.53, 0.41, -0.30, 0.12]].

    Tutorial: Chapter 03, Section 2 (forward).
    """
    raise NotImplementedError("chapter 03: write lookup_one_position")


def position_indices(input_indices):
    """Return the positions 0, 1, ..., T-1 of a batch of token ids.

    input_indices: LongTensor (B, T)  ->  LongTensor (T,) on the same device

    Only the length T (``input_indices.shape[1]``) and the device matter,
    never the ids themselves: ``torch.arange(T, device=...)``. Example: for
    the tutorial's (1, 8) input it gives tensor([0, 1, 2, 3, 4, 5, 6, 7]).

    Tutorial: Chapter 03, Section 2 (forward).
    """
    raise NotImplementedError("chapter 03: write position_indices")


def position_vectors(table, input_indices):
    """Look up the vectors of the positions of ``input_indices``: rows 0 .. T-1 of the table.

    table: ``nn.Embedding`` (input_sequence_length, C), input_indices: (B, T)  ->  (T, C)

    No batch dimension: every sequence gets the same position vectors, and
    broadcasting adds them to the (B, T, C) token embeddings (Chapter 04).
    Example: for the tutorial's (1, 8) input and an (8, 8) table the result
    is the whole table weight, row t being position t's vector.

    Tutorial: Chapter 03, Section 2 (forward).
    """
    raise NotImplementedError("chapter 03: write position_vectors")


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
        raise NotImplementedError("chapter 03: write PositionEmbedding.__init__")

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
        raise NotImplementedError("chapter 03: write PositionEmbedding.forward")
