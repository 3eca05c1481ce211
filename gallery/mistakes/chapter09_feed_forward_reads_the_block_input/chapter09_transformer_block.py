"""Mistake: ``x + multihead_attention(layer_norm1(x)) + feed_forward(layer_norm2(x))``: one line, both from x.

Written on one line, both sub-layers read the block's input, so the
feed-forward never sees what attention gathered: "communicate, then compute"
becomes "communicate and compute, separately".
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def forward(self, x):
        return x + self.multihead_attention(self.layer_norm1(x)) + self.feed_forward(self.layer_norm2(x))  # mistake
