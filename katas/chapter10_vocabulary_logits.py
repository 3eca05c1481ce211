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
(forward), 2 (Calculating loss, used in chapter 11) and 3 (Define a Class).
"""

from torch import nn


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
