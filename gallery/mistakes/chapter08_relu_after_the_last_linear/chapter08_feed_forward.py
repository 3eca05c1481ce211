"""Mistake: ``Linear, Linear, ReLU``: the ReLU moved to the end.

Now the network is linear up to the end and its output can never be
negative: half of what the residual stream could receive is cut away.
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
            nn.Linear(hidden, C),
            nn.ReLU(),  # mistake: between the two Linear layers
            nn.Dropout(config.dropout_rate),
        )
