"""Alternative: the position embedding created before the token embedding (other random start
values), and the broadcast over the batch spelled out with ``unsqueeze(0)``.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class EmbeddingModule(correct.EmbeddingModule):
    def __init__(self, vocab_size, config):
        nn.Module.__init__(self)
        self.position_embedding_layer = correct.PositionEmbedding(config.input_sequence_length, config.embedding_dim)
        self.token_embedding_layer = correct.TokenEmbedding(vocab_size, config.embedding_dim)

    def forward(self, indices):
        position_vectors = self.position_embedding_layer(indices).unsqueeze(0)  # (1, T, C)
        return self.token_embedding_layer(indices) + position_vectors  # (B, T, C)
