"""Chapter 02, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 02 "TokenEmbedding": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

from torch import nn

from gallery import correct_chapter

correct_chapter(__name__)  # the steps are the learner's own code: they fall through to the reference


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
        self.token_embedding_table = nn.Embedding(vocab_size, embedding_dim)

    def embed(self, input_indices):
        """Look up every id.

        input_indices: LongTensor (...), usually (B, T)  ->  (..., C)
        """
        return self.token_embedding_table.forward(input_indices)

    def forward(self, input_indices):
        """Given: ``module(input_indices)`` is ``module.embed(input_indices)``."""
        return self.embed(input_indices)
