"""Mistake: ``nn.Dropout(0.5)`` at the end of the net: the rate written as a number, not read from the config.

It passes every test that happens to use 0.5, and trains with the wrong rate
for every other config (the tutorial's 0.1 among them).
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class FeedForward(correct.FeedForward):
    def __init__(self, config):
        nn.Module.__init__(self)
        self.net = nn.Sequential(
            nn.Linear(config.embedding_dim, config.hidden_dim),
            nn.ReLU(),
            nn.Linear(config.hidden_dim, config.embedding_dim),
            nn.Dropout(0.5),  # mistake: nn.Dropout(config.dropout_rate)
        )
