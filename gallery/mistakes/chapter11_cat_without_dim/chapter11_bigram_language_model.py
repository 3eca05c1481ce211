"""Mistake: ``torch.cat((input_indices, next_index))``: joined along dimension 0, the batch.

(B, T) and (B, 1) do not fit together along dimension 0, so torch.cat
raises. The context is cropped correctly: the failure must not be blamed
on cropping.
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
                probabilities = F.softmax(logits[:, -1, :], dim=-1)
                next_index = torch.multinomial(probabilities, num_samples=1)
                input_indices = torch.cat((input_indices, next_index))  # mistake: dim=1
        return input_indices
