"""Mistake: ``x = multihead_attention(layer_norm1(x))``, without ``x + ...``.

Without the residual the block must rebuild everything it passes on, and the
gradient has no straight path back through the stack: deep models barely
train.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def forward(self, x):
        x = self.multihead_attention(self.layer_norm1(x))  # mistake: x + ...
        x = x + self.feed_forward(self.layer_norm2(x))
        return x
