"""Mistake: ``nn.Linear(C, V, bias=False)``, as in GPT-2's weight-tied head.

The tutorial's model keeps the bias: one learnable offset per character, the
easiest way to learn that spaces and 'e' are common and 'Z' is rare.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class VocabularyLogits(correct.VocabularyLogits):
    def __init__(self, vocab_size, config):
        nn.Module.__init__(self)
        self.output_norm = nn.LayerNorm(config.embedding_dim)
        self.vocab_projection = nn.Linear(config.embedding_dim, vocab_size, bias=False)  # mistake: keep the bias
