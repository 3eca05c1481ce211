"""Mistake: ``Linear, ReLU, Dropout, Linear``: dropout on the hidden features.

A regularisation of its own, but not the block the course (and GPT) builds:
dropout comes last, on what is added to the residual stream.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class FeedForward(correct.FeedForward):
    def __init__(self, config):
        nn.Module.__init__(self)
        C, hidden = config.embedding_dim, config.hidden_dim
        self.net = nn.Sequential(
            nn.Linear(C, hidden),
            nn.ReLU(),
            nn.Dropout(config.dropout_rate),  # mistake: after the second Linear
            nn.Linear(hidden, C),
        )
