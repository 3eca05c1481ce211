"""Alternative: ``nn.Sequential`` built from an OrderedDict of named layers, with ``ReLU(inplace=True)``.

The names show up in ``print(model)`` and in the state_dict's keys; the
in-place ReLU saves one hidden-sized tensor and is safe here because nothing
else needs the Linear's output.
"""

from collections import OrderedDict

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class FeedForward(correct.FeedForward):
    def __init__(self, config):
        nn.Module.__init__(self)
        self.net = nn.Sequential(OrderedDict([
            ("widen", nn.Linear(config.embedding_dim, config.hidden_dim)),
            ("relu", nn.ReLU(inplace=True)),
            ("narrow", nn.Linear(config.hidden_dim, config.embedding_dim)),
            ("dropout", nn.Dropout(config.dropout_rate)),
        ]))
