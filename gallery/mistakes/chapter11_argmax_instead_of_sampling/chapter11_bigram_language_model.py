"""Mistake: ``next_index = probabilities.argmax(dim=-1, keepdim=True)``.

Always the most likely character: greedy decoding. For a small character
model that soon loops ("the the the ...") and never varies; the course
samples with torch.multinomial.
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
                next_index = probabilities.argmax(dim=-1, keepdim=True)  # mistake: sample
                input_indices = torch.cat([input_indices, next_index], dim=1)
        return input_indices
