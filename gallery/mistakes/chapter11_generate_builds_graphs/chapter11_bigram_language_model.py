"""Mistake: the generation loop without ``torch.no_grad()``.

Every forward pass records an autograd graph that nobody will use: slower,
and memory grows with every generated token.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def generate(self, input_indices, max_new_tokens):
        if True:  # mistake: with torch.no_grad():
            for _ in range(max_new_tokens):
                context = input_indices[:, -self.input_sequence_length :]
                logits, _ = self(context)
                probabilities = F.softmax(logits[:, -1, :], dim=-1)
                next_index = torch.multinomial(probabilities, num_samples=1)
                input_indices = torch.cat([input_indices, next_index], dim=1)
        return input_indices
