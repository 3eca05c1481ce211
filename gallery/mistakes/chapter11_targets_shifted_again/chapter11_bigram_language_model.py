"""Mistake: ``logits[:, :-1]`` against ``targets[:, 1:]``: the targets shifted a second time.

The DataLoader already shifted them: target_indices[b, t] is the character
after input_indices[b, t]. Shifting again teaches the model to predict the
character two places ahead.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def forward(self, input_indices, target_indices=None):
        logits = self.vocab_projection(self.blocks(self.embedding(input_indices)))  # (B, T, V)
        if target_indices is None:
            return logits, None
        V = logits.shape[-1]
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), target_indices[:, 1:].reshape(-1))  # mistake
        return logits, loss
