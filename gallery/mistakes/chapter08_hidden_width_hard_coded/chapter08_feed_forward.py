"""Mistake: ``nn.Linear(C, 4 * C)``: GPT's ratio written in instead of ``config.hidden_dim``.

The course's configs happen to use hidden_dim = 4 * C, so it works there;
any other setting of hidden_dim is silently ignored.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class FeedForward(correct.FeedForward):
    def __init__(self, config):
        nn.Module.__init__(self)
        C = config.embedding_dim
        self.net = nn.Sequential(
            nn.Linear(C, 4 * C),  # mistake: config.hidden_dim
            nn.ReLU(),
            nn.Linear(4 * C, C),
            nn.Dropout(config.dropout_rate),
        )
