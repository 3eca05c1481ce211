"""Mistake: ``input_indices[:, :input_sequence_length]``: the *first* tokens kept.

Once the text is longer than the block, the model is shown the same opening
characters at every step and never what it has just written: every new
character is predicted from the start of the prompt.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def generate(self, input_indices, max_new_tokens):
        with torch.no_grad():
            for _ in range(max_new_tokens):
                context = input_indices[:, : self.config.input_sequence_length]  # mistake: [:, -input_sequence_length:]
                logits, _ = self(context)
                probabilities = F.softmax(logits[:, -1, :], dim=-1)
                next_index = torch.multinomial(probabilities, num_samples=1)
                input_indices = torch.cat([input_indices, next_index], dim=1)
        return input_indices
