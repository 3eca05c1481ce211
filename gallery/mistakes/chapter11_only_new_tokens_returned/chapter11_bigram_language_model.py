"""Mistake: generate returns the sampled tokens without the prompt before them.

The docstring promises (B, T0 + max_new_tokens): the prompt, then the new
text. Code that decodes the output to show the continuation of the prompt
then shows the text shifted by T0 characters.
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
                input_indices = torch.cat([input_indices, next_index], dim=1)
        return input_indices[:, -max_new_tokens:]  # mistake: return all of it
