"""Mistake: the feed-forward first, then the attention.

Each position would "think" before it has gathered anything from the others;
the course's (and GPT's) block communicates first, then computes.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def forward(self, x):
        x = x + self.feed_forward(self.layer_norm2(x))  # mistake: attention comes first
        x = x + self.multihead_attention(self.layer_norm1(x))
        return x
