"""Mistake: ``self.vocab_projection = nn.Linear(C, V)``: the final LayerNorm left out.

The residual stream leaves the last block un-normalised; projecting it
directly gives logits whose scale depends on how much every block added.
The untrained model is then over-confident and its loss starts far above ln V.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def __init__(self, vocab_size, config):
        nn.Module.__init__(self)
        self.config = config
        self.embedding = correct.EmbeddingModule(vocab_size, config)
        self.blocks = nn.Sequential(*[correct.TransformerBlock(config) for _ in range(config.layer_count)])
        self.vocab_projection = nn.Linear(config.embedding_dim, vocab_size)  # mistake: VocabularyLogits (norm first)
        self.criterion = nn.CrossEntropyLoss()
