"""Mistake: get_batch ignores its ``split`` argument and always reads the train split.

Copy-paste from the training loop: ``source = self.train_data``. Validation
batches then come from text the model trains on, so the validation loss
falls with the training loss and overfitting goes unnoticed.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class DataLoader(correct.DataLoader):
    def get_batch(self, split):
        if split not in ("train", "val"):
            raise ValueError(f"split must be 'train' or 'val', not {split!r}")
        source = self.train_data  # mistake: should be val_data when split == "val"
        block = self.config.input_sequence_length
        starts = torch.randint(len(source) - block, (self.config.batch_size,))
        inputs = torch.stack([source[start : start + block] for start in starts])
        targets = torch.stack([source[start + 1 : start + block + 1] for start in starts])
        return inputs.to(self.config.device_type), targets.to(self.config.device_type)
