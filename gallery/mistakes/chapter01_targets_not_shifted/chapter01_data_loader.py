"""Mistake: the targets are the same window as the inputs.

Learners cut one window and hand it back twice, or slice both with the same
[start : start + T]. The model is then asked to predict the character it is
reading, which it learns at once (copying is easy) and which teaches it
nothing about what comes next.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class DataLoader(correct.DataLoader):
    def get_batch(self, split):
        if split not in ("train", "val"):
            raise ValueError(f"split must be 'train' or 'val', not {split!r}")
        source = self.train_data if split == "train" else self.val_data
        block = self.config.input_sequence_length
        starts = torch.randint(len(source) - block, (self.config.batch_size,))
        inputs = torch.stack([source[start : start + block] for start in starts])
        targets = torch.stack([source[start : start + block] for start in starts])  # mistake: not start + 1
        return inputs.to(self.config.device_type), targets.to(self.config.device_type)
