"""Mistake: ``logits[:, 0, :]``: the prediction of the *first* position.

Only the last position's logits predict the character after the sequence;
the first position's predict the second character of the prompt, again and
again.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def generate(self, input_indices, max_new_tokens):
        with torch.no_grad():
            for _ in range(max_new_tokens):
                context = input_indices[:, -self.config.input_sequence_length :]
                logits, _ = self(context)
                probabilities = F.softmax(logits[:, 0, :], dim=-1)  # mistake: the last position, -1
                next_index = torch.multinomial(probabilities, num_samples=1)
                input_indices = torch.cat([input_indices, next_index], dim=1)
        return input_indices
