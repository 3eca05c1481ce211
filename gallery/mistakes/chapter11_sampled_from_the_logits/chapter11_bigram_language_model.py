"""Mistake: ``torch.multinomial(logits[:, -1, :], 1)``: the softmax forgotten.

torch.multinomial wants non-negative weights; logits are any real numbers.
With a negative logit it refuses ("probability tensor contains either inf,
nan or element < 0"); if they all happened to be positive it would sample
in proportion to the logits, not to their exponentials.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class BigramLanguageModel(correct.BigramLanguageModel):
    def generate(self, input_indices, max_new_tokens):
        with torch.no_grad():
            for _ in range(max_new_tokens):
                logits, _ = self(input_indices[:, -self.config.input_sequence_length :])
                next_index = torch.multinomial(logits[:, -1, :], num_samples=1)  # mistake: softmax first
                input_indices = torch.cat([input_indices, next_index], dim=1)
        return input_indices
