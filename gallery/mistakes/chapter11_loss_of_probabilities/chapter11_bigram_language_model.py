"""Mistake: ``F.cross_entropy(F.softmax(logits, dim=-1), targets)``.

F.cross_entropy takes raw logits and applies the (log-)softmax itself.
Given probabilities, it squashes numbers between 0 and 1 once more: the loss
hardly moves from ln V whatever the model does, and it barely learns.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def forward(self, input_indices, target_indices=None):
        logits = self.vocab_projection(self.blocks(self.embedding(input_indices)))  # (B, T, V)
        if target_indices is None:
            return logits, None
        B, T, V = logits.shape
        logits = logits.view(B * T, V)
        return logits, F.cross_entropy(F.softmax(logits, dim=-1), target_indices.view(B * T))  # mistake
