"""Mistake: ``self.dropout = nn.Dropout(0.5)``: the rate written as a number, not read from the config.

It passes every test that happens to use 0.5, and trains with the wrong rate
for every other config (the tutorial's 0.1 among them).
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class AttentionHead(correct.AttentionHead):
    def __init__(self, head_size, config):
        super().__init__(head_size, config)
        self.dropout = nn.Dropout(0.5)  # mistake: nn.Dropout(config.dropout_rate)
