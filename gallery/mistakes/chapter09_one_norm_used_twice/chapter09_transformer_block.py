"""Mistake: ``layer_norm1`` in front of both sub-layers; ``layer_norm2`` made but never used.

Each sub-layer needs its own norm, with its own gamma and beta: the
attention and the feed-forward want their inputs scaled differently.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def forward(self, x):
        x = x + self.multihead_attention(self.layer_norm1(x))
        x = x + self.feed_forward(self.layer_norm1(x))  # mistake: layer_norm2
        return x
