"""Mistake: ``F.softmax(logits[:, -1, :] / 0.8, dim=-1)``: a temperature the tutorial does not use.

Dividing the logits by 0.8 sharpens the distribution: likely characters come
up more often than the model says. It looks like sampling, and a loose test
of the frequencies lets it through.
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
                probabilities = F.softmax(logits[:, -1, :] / 0.8, dim=-1)  # mistake: no temperature
                next_index = torch.multinomial(probabilities, num_samples=1)
                input_indices = torch.cat((input_indices, next_index), dim=1)
        return input_indices
