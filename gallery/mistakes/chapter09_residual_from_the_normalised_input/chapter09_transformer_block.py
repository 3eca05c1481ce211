"""Mistake: ``x = layer_norm1(x); x = x + multihead_attention(x)``.

Reassigning x to its normalised version means the residual adds to the
*normalised* input: the un-normalised residual stream is lost at every block.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def forward(self, x):
        x = self.layer_norm1(x)  # mistake: the residual must add to the un-normalised x
        x = x + self.multihead_attention(x)
        x = self.layer_norm2(x)
        x = x + self.feed_forward(x)
        return x
