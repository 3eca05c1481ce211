"""Mistake: ``self.blocks = [TransformerBlock(config) for _ in range(layer_count)]``, looped over in forward.

The model computes the right thing, but a Python list hides the blocks from
PyTorch: their parameters are never trained, saved or moved to the GPU.
"""

from torch import nn
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def __init__(self, vocab_size, config):
        nn.Module.__init__(self)
        self.config = config
        self.embedding = correct.EmbeddingModule(vocab_size, config)
        self.blocks = [correct.TransformerBlock(config) for _ in range(config.layer_count)]  # mistake: nn.Sequential
        self.vocab_projection = correct.VocabularyLogits(vocab_size, config)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, input_indices, target_indices=None):
        x = self.embedding(input_indices)
        for block in self.blocks:
            x = block(x)
        logits = self.vocab_projection(x)
        if target_indices is None:
            return logits, None
        B, T, V = logits.shape
        logits = logits.view(B * T, V)
        return logits, F.cross_entropy(logits, target_indices.view(B * T))
