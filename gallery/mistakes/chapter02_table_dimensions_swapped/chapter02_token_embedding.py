"""Mistake: ``nn.Embedding(embedding_dim, vocab_size)``, the two sizes the wrong way round.

nn.Embedding(num_embeddings, embedding_dim) takes the number of *rows* first:
one row per id. Swapped, the table has C rows of V numbers: ids >= C have no
row, and each vector is V wide instead of C.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TokenEmbedding(correct.TokenEmbedding):
    def __init__(self, vocab_size, embedding_dim):
        nn.Module.__init__(self)
        self.token_embedding_table = nn.Embedding(embedding_dim, vocab_size)  # mistake: (V, C) swapped
