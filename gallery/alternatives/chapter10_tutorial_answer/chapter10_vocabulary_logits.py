"""Chapter 10, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 10 "VocabularyLogits": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

from torch import nn

from gallery import correct_chapter

correct_chapter(__name__)  # every step the answer does not define comes from the correct chapter


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
        self.output_norm = nn.LayerNorm(config.embedding_dim)
        self.vocab_projection = nn.Linear(config.embedding_dim, vocab_size)

    def forward(self, transformer_block_output):
        """transformer_block_output: (B, T, C)  ->  logits (B, T, V)"""
        normalized_output = self.output_norm.forward(transformer_block_output)
        vocab_logits = self.vocab_projection.forward(normalized_output)
        return vocab_logits
