"""Alternative: ``torch.distributions.Categorical(logits=...)`` samples the next character.

Categorical normalises the logits itself (no explicit softmax) and draws
from torch's generator, so a fixed seed still repeats a continuation.
"""

import torch
from torch.distributions import Categorical

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def generate(self, input_indices, max_new_tokens):
        with torch.no_grad():
            for _ in range(max_new_tokens):
                logits, _ = self(input_indices[:, -self.config.input_sequence_length :])
                next_index = Categorical(logits=logits[:, -1, :]).sample()  # (B,)
                input_indices = torch.cat([input_indices, next_index[:, None]], dim=1)
        return input_indices
