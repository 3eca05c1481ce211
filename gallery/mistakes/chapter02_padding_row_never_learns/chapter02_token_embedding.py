"""Mistake: ``nn.Embedding(vocab_size, embedding_dim, padding_idx=0)``, copied from a word model.

padding_idx marks a row for padding: it starts at zero and never receives
a gradient. Character 0 of our vocabulary (the line break in Shakespeare)
is a real character, so its vector stays zero for ever and the model
cannot learn what a line break means. Every other test of the table passes.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TokenEmbedding(correct.TokenEmbedding):
    def __init__(self, vocab_size, embedding_dim):
        nn.Module.__init__(self)
        self.token_embedding_table = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)  # mistake
