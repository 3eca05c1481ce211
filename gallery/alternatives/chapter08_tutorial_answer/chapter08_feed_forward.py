"""Chapter 08, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 08 "FeedForward": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

from torch import nn

from gallery import correct_chapter

correct_chapter(__name__)  # every step the answer does not define comes from the correct chapter


class FeedForward(nn.Module):
    """Position-wise two-layer network with a ReLU between.

    config: needs ``embedding_dim`` (C), ``hidden_dim`` and ``dropout_rate``

    Attribute: ``net``, an ``nn.Sequential`` of Linear(C, hidden_dim), ReLU,
    Linear(hidden_dim, C), Dropout.
    """

    def __init__(self, config):
        """Create ``net``."""
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(config.embedding_dim, config.hidden_dim),
            nn.ReLU(),
            nn.Linear(config.hidden_dim, config.embedding_dim),
            nn.Dropout(config.dropout_rate),
        )

    def forward(self, input_tensor):
        """input_tensor: (..., C)  ->  (..., C)"""
        return self.net(input_tensor)
