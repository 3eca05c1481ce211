"""Mistake: the target window is cut at the same start as the input window.

Both slices are data[start : start + T]: the model is asked to predict the
character it is reading, not the next one.

As in a learner's kata, the class calls the step: the wrong step is wired
into this entry's copy of the correct chapter too.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


def input_target_windows(data, starts, block_size):
    inputs = torch.stack([data[start : start + block_size] for start in starts])
    targets = torch.stack([data[start : start + block_size] for start in starts])  # mistake: not start + 1
    return inputs, targets


correct.input_target_windows = input_target_windows
