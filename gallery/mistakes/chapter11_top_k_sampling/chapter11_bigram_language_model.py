"""Mistake: top-k sampling (k = 5, as in nanoGPT's sample.py, there with k = 200), which the tutorial does not do.

Only the k likeliest characters can come up. On a vocabulary smaller than k
``torch.topk`` raises; on a larger one the rare characters silently never
appear. Either way the text is not sampled from the model's distribution.
"""

import torch
from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)
TOP_K = 5


class BigramLanguageModel(correct.BigramLanguageModel):
    def generate(self, input_indices, max_new_tokens):
        with torch.no_grad():
            for _ in range(max_new_tokens):
                context = input_indices[:, -self.config.input_sequence_length :]
                logits, _ = self(context)
                logits = logits[:, -1, :]
                threshold = torch.topk(logits, TOP_K).values[:, [-1]]  # mistake: no top-k
                logits = logits.masked_fill(logits < threshold, float("-inf"))
                next_index = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1)
                input_indices = torch.cat((input_indices, next_index), dim=1)
        return input_indices
