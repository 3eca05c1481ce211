"""Mistake: ``torch.manual_seed(0)`` as the first line of get_batch, "to make it reproducible".

Every call starts from the same random state, so every batch of a run is
the same batch: the model trains on batch_size windows of the text for
ever, and memorises them. It also resets the random state of everything
after it (dropout, generate). Seed once, before training, not per batch.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class DataLoader(correct.DataLoader):
    def get_batch(self, split):
        torch.manual_seed(0)  # mistake: every call draws the same start positions
        return super().get_batch(split)
