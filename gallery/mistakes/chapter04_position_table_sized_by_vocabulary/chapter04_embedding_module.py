"""Mistake: ``PositionEmbedding(vocab_size, C)``, the token line copied and not adapted.

There is one position vector per *position*, input_sequence_length of them,
not one per character. With V = 65 and a block of 32 it even runs, with 33
position vectors that are never used.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class EmbeddingModule(correct.EmbeddingModule):
    def __init__(self, vocab_size, config):
        nn.Module.__init__(self)
        self.token_embedding_layer = correct.TokenEmbedding(vocab_size, config.embedding_dim)
        self.position_embedding_layer = correct.PositionEmbedding(vocab_size, config.embedding_dim)  # mistake
