"""Chapter 04, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 04 "EmbeddingModule": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

from torch import nn

from gallery import correct_chapter

from .chapter02_token_embedding import TokenEmbedding
from .chapter03_position_embedding import PositionEmbedding

# The tutorial's answer holds the classes; the chapter's steps come from the reference.
correct_chapter(__name__)


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
        self.token_embedding_layer = TokenEmbedding(vocab_size=vocab_size, embedding_dim=config.embedding_dim)
        self.position_embedding_layer = PositionEmbedding(
            input_sequence_length=config.input_sequence_length, embedding_dim=config.embedding_dim
        )

    def forward(self, input_indices):
        """input_indices: LongTensor (B, T)  ->  (B, T, C)"""
        token_embeddings = self.token_embedding_layer.embed(input_indices)
        position_embeddings = self.position_embedding_layer.forward(input_indices)
        return position_embeddings + token_embeddings
