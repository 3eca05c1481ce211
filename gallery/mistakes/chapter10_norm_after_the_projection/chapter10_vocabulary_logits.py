"""Mistake: ``LayerNorm(V)`` applied after the projection, to the logits.

The norm belongs on the C-wide residual stream, before the projection.
Normalised logits all have mean 0 and spread 1, so the model can never be
confident: its loss stays high.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class VocabularyLogits(correct.VocabularyLogits):
    def __init__(self, vocab_size, config):
        nn.Module.__init__(self)
        self.vocab_projection = nn.Linear(config.embedding_dim, vocab_size)
        self.output_norm = nn.LayerNorm(vocab_size)  # mistake: LayerNorm(C), applied first

    def forward(self, x):
        return self.output_norm(self.vocab_projection(x))
