"""Alternative: the feed-forward and the norms created before the attention (other random start
values), and forward written with named intermediate results instead of reassigning x.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def __init__(self, config):
        nn.Module.__init__(self)
        self.feed_forward = correct.FeedForward(config)
        self.layer_norm2 = nn.LayerNorm(config.embedding_dim)
        self.layer_norm1 = nn.LayerNorm(config.embedding_dim)
        self.multihead_attention = correct.MultiHeadAttention(config)

    def forward(self, x):
        attended = x + self.multihead_attention(self.layer_norm1(x))
        computed = self.feed_forward(self.layer_norm2(attended))
        return attended + computed
