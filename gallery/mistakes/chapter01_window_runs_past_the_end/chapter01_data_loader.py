"""Mistake: the random start goes one too far, so the last window has no next character.

``torch.randint(len(source) - block + 1, ...)`` lets a window start at
len - T: its inputs fit, but its targets need one token more than the split
has. It fails only when that start is drawn, which on the real play is once
in a million batches: a crash in the middle of a long training run.
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
        starts = torch.randint(len(source) - block + 1, (self.config.batch_size,))  # mistake: one too many
        inputs = torch.stack([source[start : start + block] for start in starts])
        targets = torch.stack([source[start + 1 : start + block + 1] for start in starts])
        return inputs.to(self.config.device_type), targets.to(self.config.device_type)
