"""Mistake: ``nn.Sequential(Linear(C, hidden), Linear(hidden, C), Dropout)``.

Without a non-linearity the two Linear layers multiply out to a single
Linear(C, C): all the extra width buys nothing.
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
            nn.Linear(hidden, C),  # mistake: nn.ReLU() belongs between the two
            nn.Dropout(config.dropout_rate),
        )
