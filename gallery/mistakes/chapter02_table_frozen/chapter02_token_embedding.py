"""Mistake: the table is made with ``nn.Embedding.from_pretrained(torch.randn(V, C))``.

from_pretrained freezes the table by default (``freeze=True``): the vectors
keep their random start values for ever and the model cannot learn what
its characters mean.
"""

import torch
from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TokenEmbedding(correct.TokenEmbedding):
    def __init__(self, vocab_size, embedding_dim):
        nn.Module.__init__(self)
        table = torch.randn(vocab_size, embedding_dim)
        self.token_embedding_table = nn.Embedding.from_pretrained(table)  # mistake: frozen unless freeze=False
