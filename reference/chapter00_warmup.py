"""Chapter 00 — warm-up: the tensor basics every later chapter assumes.

The tutorial takes a few tensor moves for granted: a batch of one sequence,
picking rows and columns, stacking windows into a batch, swapping the last
two dimensions, multiplying batches of matrices, adding a (T, C) tensor to
every sequence of a (B, T, C) batch, folding B and T together, and a mean
that keeps its dimension. Here you practise each one on its own, with
small shapes you can print and check by hand, before they turn up inside
the DataLoader, attention, LayerNorm and the language model.

Names for dimensions, used in every chapter:

    B  batch size                 how many sequences are processed at once
    T  time / sequence length     how many tokens each sequence holds
    C  channels / embedding_dim   how many numbers describe one token
    V  vocab_size                 how many different characters exist
    H  head_size                  the width of one attention head

This file also holds ``ModelConfig``: the settings of the model you will build.
It is given; you do not write it.

Tutorial: Everyone's nanoGPT, Chapter 00 (orientation). The tensor moves
practised here are the ones chapters 01-12 use without teaching them: the
running example ``torch.tensor([[24, 43, 58, 5, 57, 1, 46, 43]])`` (from
Chapter 02 on), ``torch.stack`` in ``get_batch`` (Chapter 01),
``transpose(-2, -1)`` and ``@`` (Chapter 06), broadcasting (Chapter 04),
``view(B * T, ...)`` (Chapter 10) and ``mean(dim=-1, keepdim=True)``
(Chapter 05). ``ModelConfig`` is the tutorial's final one, Chapter 12
Section 3 "Training and inference".
"""

from dataclasses import dataclass

import torch


@dataclass
class ModelConfig:
    """The settings of the curriculum's GPT: the tutorial's fields and values (Chapter 12, Section 3).

    Use it as the tutorial does, ``config = ModelConfig()``. Any object with
    these attributes works wherever a ``config`` is asked for (tests pass
    their own small ones).

    batch_size             B: sequences per training batch
    input_sequence_length  T at most: the block (context) length
    embedding_dim          C: numbers per token
    hidden_dim             width of the feed-forward layer (4 * C in GPT)
    num_attention_heads    heads per attention layer; C must divide evenly
    layer_count            how many transformer blocks are stacked
    dropout_rate           probability of zeroing an activation in training
    learning_rate          AdamW step size
    total_training_steps   optimisation steps in ``Trainer.train``
    evaluation_frequency   evaluate every this many steps
    evaluation_loops       batches averaged per split in an evaluation
    device_type            where batches go: "cuda" when a GPU is available, else "cpu"
                           (the chapter tests build their own CPU configs)
    random_seed_value      seed for torch's random number generator
    """

    batch_size: int = 16
    input_sequence_length: int = 32
    embedding_dim: int = 64
    hidden_dim: int = 256
    num_attention_heads: int = 4
    layer_count: int = 4
    dropout_rate: float = 0.1
    learning_rate: float = 1e-3
    total_training_steps: int = 5000
    evaluation_frequency: int = 100
    evaluation_loops: int = 10
    device_type: str = "cuda" if torch.cuda.is_available() else "cpu"
    random_seed_value: int = 1337


def as_batch_of_one(ids):
    """Return a list of token ids as a batch holding one sequence.

    ids: list of T ints  ->  LongTensor (1, T)

    Models read batches, (B, T), never a lone sequence: one sequence is a
    batch with B = 1. Ids index embedding tables, so their dtype is
    ``torch.long``. Example, the tutorial's running input "Let's he":
    [24, 43, 58, 5, 57, 1, 46, 43] -> tensor([[24, 43, 58, 5, 57, 1, 46, 43]]),
    shape (1, 8), as written from Chapter 02 on.
    """
    # BEGIN SOLUTION
    return torch.tensor([ids], dtype=torch.long)  # (1, T)
    # END SOLUTION


def first_row_and_last_column(matrix):
    """Return the first row and the last column of a 2-D tensor.

    matrix: (R, K)  ->  first row (K,), last column (R,)

    An integer index removes its dimension; ``:`` keeps one whole; -1
    counts from the end. Example: for torch.arange(12).view(3, 4) the first
    row is [0, 1, 2, 3] and the last column [3, 7, 11].
    """
    # BEGIN SOLUTION
    return matrix[0], matrix[:, -1]
    # END SOLUTION


def stack_windows(windows):
    """Stack B equally long 1-D windows into one (B, T) batch, in list order.

    windows: list of B tensors, each (T,)  ->  (B, T)

    ``torch.stack`` adds a new first dimension (``torch.cat`` would join
    them end to end into one (B * T,) tensor instead). Chapter 01's
    ``get_batch`` stacks its windows this way.
    """
    # BEGIN SOLUTION
    return torch.stack(windows)  # (B, T)
    # END SOLUTION


def swap_last_two_dims(x):
    """Swap the last two dimensions, leaving the batch dimension alone.

    x: (B, T, H)  ->  (B, H, T)

    ``transpose(-2, -1)`` works for any number of leading dimensions.
    Attention (Chapter 06) turns the keys (B, T, H) into (B, H, T) this
    way, so that queries @ keys gives (B, T, T).
    """
    # BEGIN SOLUTION
    return x.transpose(-2, -1)
    # END SOLUTION


def batched_matmul(left, right):
    """Multiply two batches of matrices, one pair per batch entry.

    left: (B, T, H), right: (B, H, S)  ->  (B, T, S)

    ``@`` (``torch.matmul``) multiplies the last two dimensions and keeps
    the batch dimension: entry [b, t, s] is the dot product of row t of
    left[b] with column s of right[b]. The inner sizes (H) must agree.
    """
    # BEGIN SOLUTION
    return left @ right  # (B, T, S)
    # END SOLUTION


def add_to_every_sequence(batch, per_position):
    """Add the same (T, C) tensor to every sequence of a (B, T, C) batch.

    batch: (B, T, C), per_position: (T, C)  ->  (B, T, C)

    Broadcasting lines the shapes up from the right: (T, C) acts as
    (1, T, C) and is repeated over B, with no copy written by hand.
    Chapter 04 adds the position embeddings (T, C) to the token embeddings
    (B, T, C) exactly this way.
    """
    # BEGIN SOLUTION
    return batch + per_position  # (B, T, C)
    # END SOLUTION


def flatten_batch_and_time(x):
    """Fold the batch and time dimensions into one.

    x: (B, T, C)  ->  (B * T, C)

    Row b * T + t of the result is x[b, t]: ``view`` (or ``reshape``) reads
    the numbers in their stored order. Chapter 10 flattens logits
    (B, T, V) to (B * T, V) this way for the cross-entropy loss.
    """
    # BEGIN SOLUTION
    B, T, C = x.shape
    return x.view(B * T, C)
    # END SOLUTION


def mean_keepdim(x):
    """Average over the last dimension, keeping it with size 1.

    x: (B, T, C)  ->  (B, T, 1)

    ``mean(dim=-1, keepdim=True)``: without keepdim the result is (B, T),
    which no longer lines up with x for ``x - mean`` (it would broadcast
    T against C). LayerNorm (Chapter 05) takes its mean and variance this
    way.
    """
    # BEGIN SOLUTION
    return x.mean(dim=-1, keepdim=True)  # (B, T, 1)
    # END SOLUTION
