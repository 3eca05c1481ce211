"""Mistake: ``nn.Embedding(vocab_size - 1, embedding_dim)``.

"The largest id is vocab_size - 1, so that is the size": but ids run from 0
to vocab_size - 1, which is vocab_size rows. The last character of the
vocabulary has no vector, and the first batch that holds it crashes.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TokenEmbedding(correct.TokenEmbedding):
    def __init__(self, vocab_size, embedding_dim):
        nn.Module.__init__(self)
        self.token_embedding_table = nn.Embedding(vocab_size - 1, embedding_dim)  # mistake: one row short
