"""Chapter 00 — warm-up: the tensor moves a GPT is made of.

Every later chapter is built from a handful of tensor operations. Here you
practise each one on its own, with small shapes you can print and check by
hand, before they turn up inside attention and the language model.

Names for dimensions, used in every chapter:

    B  batch size                 how many sequences are processed at once
    T  time / sequence length     how many tokens each sequence holds
    C  channels / embedding_dim   how many numbers describe one token
    V  vocab_size                 how many different characters exist
    H  head_size                  the width of one attention head

This file also holds ``ModelConfig``: the settings of the model you will build.
It is given; you do not write it.

Tutorial: Everyone's nanoGPT, Chapter 00 (the introduction: tensors, slicing,
``view``, ``tril``, ``masked_fill``, softmax, ``@``). ``ModelConfig`` is the
tutorial's final one, Chapter 12 Section 3 "Training and inference".
"""

from dataclasses import dataclass

import torch
from torch.nn import functional as F


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


def last_position(x):
    """Return the vector at the last position of every sequence.

    x: (B, T, C)  ->  (B, C)

    A language model predicts the next token from the *last* position only,
    so ``generate`` in chapter 11 needs exactly this slice. Index the time
    dimension with -1 and keep the other two whole.
    """
    # BEGIN SOLUTION
    return x[:, -1, :]
    # END SOLUTION


def shift_by_one(sequence):
    """Split a 1-D sequence into (inputs, targets) for next-token prediction.

    sequence: (N,)  ->  inputs (N - 1,), targets (N - 1,)

    targets[i] is the token that follows inputs[i]: inputs are every token
    but the last, targets every token but the first.
    Example: [5, 6, 7, 8] -> inputs [5, 6, 7], targets [6, 7, 8].
    """
    # BEGIN SOLUTION
    return sequence[:-1], sequence[1:]
    # END SOLUTION


def causal_mask(sequence_length):
    """Return the (T, T) lower-triangular matrix of ones.

    Row t has ones in columns 0..t and zeros after: position t may look at
    itself and the past, never the future. ``torch.tril`` keeps the lower
    triangle of a matrix and zeroes the rest.
    """
    # BEGIN SOLUTION
    return torch.tril(torch.ones(sequence_length, sequence_length))
    # END SOLUTION


def mask_future(scores):
    """Set every score above the diagonal to -inf.

    scores: (..., T, T)  ->  same shape

    Row t, column s is how much position t attends to position s. Columns
    s > t are the future: after a softmax, -inf becomes a weight of exactly
    0. Use ``masked_fill`` with a mask that is True where the future is.
    """
    # BEGIN SOLUTION
    T = scores.shape[-1]
    future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=scores.device), diagonal=1)
    return scores.masked_fill(future, float("-inf"))
    # END SOLUTION


def softmax_rows(scores):
    """Turn every row of scores into probabilities that sum to 1.

    scores: (..., T)  ->  same shape, each last-dimension row sums to 1

    The softmax must run along the *last* dimension (dim=-1): each query
    position distributes its attention over the key positions.
    """
    # BEGIN SOLUTION
    return F.softmax(scores, dim=-1)
    # END SOLUTION


def attention_scores(queries, keys):
    """Return the dot product of every query with every key.

    queries: (B, T, H), keys: (B, T, H)  ->  (B, T, T)

    Entry [b, t, s] is queries[b, t] · keys[b, s]. Multiply the queries by
    the keys with their last two dimensions swapped: (B, T, H) @ (B, H, T).
    """
    # BEGIN SOLUTION
    return queries @ keys.transpose(-2, -1)
    # END SOLUTION


def concat_heads(head_outputs):
    """Join the outputs of several attention heads side by side.

    head_outputs: a list of n tensors, each (B, T, H)  ->  (B, T, n * H)

    Heads are joined on the feature (last) dimension, in list order, so
    that every position keeps its own vector, now n times as wide.
    """
    # BEGIN SOLUTION
    return torch.cat(head_outputs, dim=-1)
    # END SOLUTION


def flatten_for_cross_entropy(logits, targets):
    """Reshape logits and targets into the 2-D and 1-D form cross_entropy takes.

    logits: (B, T, V), targets: (B, T)  ->  logits (B * T, V), targets (B * T,)

    ``F.cross_entropy`` wants one row of scores per prediction. Every one of
    the B * T positions is a prediction, so fold B and T together with
    ``view`` (or ``reshape``), keeping the pairing of logits and targets.
    """
    # BEGIN SOLUTION
    B, T, V = logits.shape
    return logits.view(B * T, V), targets.view(B * T)
    # END SOLUTION
