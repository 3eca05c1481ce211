"""Mistake: the random start stops one short, so the last window never comes up.

``torch.randint(high, ...)`` already excludes ``high``. Learners who also
subtract one ("so the targets don't run off the end") draw starts 0 .. len - T - 2:
the final window of each split is never trained on.
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
        starts = torch.randint(len(source) - block - 1, (self.config.batch_size,))  # mistake: one too few
        inputs = torch.stack([source[start : start + block] for start in starts])
        targets = torch.stack([source[start + 1 : start + block + 1] for start in starts])
        return inputs.to(self.config.device_type), targets.to(self.config.device_type)
