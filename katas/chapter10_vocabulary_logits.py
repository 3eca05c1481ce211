"""Chapter 10 — VocabularyLogits: from a vector to a score per character.

After the last block, every position holds a C-wide vector. To predict the
next character the model needs V scores (logits), one per character of the
vocabulary; a softmax later turns them into probabilities.

    output_norm        LayerNorm over C: the blocks' residual stream is not
                       normalised, so normalise once more at the end
    vocab_projection   Linear(C, V)

    (B, T, C)  ->  (B, T, V)

Why the extra norm: each block adds its output to the residual stream, so
the scale of the vectors drifts with depth. Without a final norm the logits
inherit that drift, and the untrained model starts over-confident. As in
chapter 09, ``nn.LayerNorm`` and your chapter-05 LayerNorm both pass.

Tutorial: Everyone's nanoGPT, Chapter 10 "VocabularyLogits": Sections 1
(forward: ``vocabulary_logits``), 2 (Calculating loss, used in chapter 11:
``next_character_probabilities``, ``one_hot_targets``,
``flatten_for_cross_entropy``, ``cross_entropy_loss``) and 3 (Define a Class).
"""

import torch
from torch import nn
from torch.nn import functional as F


def vocabulary_logits(x, norm, projection):
    """One score per vocabulary character at every position: projection(norm(x)).

    x:          (B, T, C), the last transformer block's output
    norm:       a LayerNorm over C (``output_norm``)
    projection: nn.Linear(C, V) (``vocab_projection``)
    returns:    logits (B, T, V)

    Tutorial: Chapter 10, Section 1 (forward): ``output_norm = nn.LayerNorm(8)``,
    ``vocab_projection = nn.Linear(8, 65)``: (1, 8, 8) -> (1, 8, 65).
    """
    raise NotImplementedError("chapter 10: write vocabulary_logits")


def next_character_probabilities(logits):
    """Turn logits into probabilities: a softmax over the vocabulary (last) axis.

    logits:  (..., V)  ->  (..., V), every row non-negative and summing to 1

    Row [b, t] is the model's guess for the character after position t.

    Tutorial: Chapter 10, Section 2 (Calculating loss),
    ``torch.softmax(vocabulary_logits, dim=-1)`` -> (1, 8, 65).
    """
    raise NotImplementedError("chapter 10: write next_character_probabilities")


def one_hot_targets(target_indices, vocab_size):
    """The target characters as one-hot rows: 1 at the target's id, 0 elsewhere.

    target_indices: LongTensor (B, T) of ids in 0..V-1
    vocab_size:     V
    returns:        LongTensor (B, T, V)

    This is the distribution the model's probabilities should match; the
    cross-entropy compares the two.

    Tutorial: Chapter 10, Section 2, ``F.one_hot(target_indices,
    num_classes=65)`` for the targets ``[[43, 58, 5, 57, 1, 46, 43, 39]]``
    ("et's hea") -> (1, 8, 65).
    """
    raise NotImplementedError("chapter 10: write one_hot_targets")


def flatten_for_cross_entropy(logits, targets):
    """Reshape logits and targets into the 2-D and 1-D form cross-entropy takes.

    logits: (B, T, V), targets: (B, T)  ->  logits (B * T, V), targets (B * T,)

    ``nn.CrossEntropyLoss`` wants one row of scores per prediction. Every one
    of the B * T positions is a prediction, so fold B and T together with
    ``view`` (or ``reshape``), keeping each row paired with its target.

    Tutorial: Chapter 10, Sections 2-3, ``vocabulary_logits.view(B * T, V)``
    and ``target_indices.view(B * T)``: (1, 8, 65) -> (8, 65) and (1, 8) -> (8,).
    """
    raise NotImplementedError("chapter 10: write flatten_for_cross_entropy")


def cross_entropy_loss(logits, targets):
    """The mean cross-entropy of the logits against the target ids: a scalar tensor.

    logits:  (N, V), one row of scores per prediction
    targets: LongTensor (N,), the right id of each row
    returns: scalar = mean over rows of -log softmax(logits[n])[targets[n]]

    A model that guesses uniformly among V characters scores ln V
    (ln 65 ≈ 4.17): where an untrained model starts.

    Tutorial: Chapter 10, Section 2, ``criterion = nn.CrossEntropyLoss()``;
    ``loss = criterion(logits_2d, targets_1d)`` -> 3.8954 for the seeded chain.
    """
    raise NotImplementedError("chapter 10: write cross_entropy_loss")


class VocabularyLogits(nn.Module):
    """Final layer norm, then a linear map to one logit per vocabulary entry.

    vocab_size: V
    config:     needs ``embedding_dim`` (C)

    Attributes: ``output_norm`` (LayerNorm over C) and ``vocab_projection``
    (``nn.Linear(C, V)``).
    """

    def __init__(self, vocab_size, config):
        """Create the norm and the projection."""
        super().__init__()
        raise NotImplementedError("chapter 10: write VocabularyLogits.__init__")

    def forward(self, transformer_block_output):
        """transformer_block_output: (B, T, C)  ->  logits (B, T, V)"""
        raise NotImplementedError("chapter 10: write VocabularyLogits.forward")
