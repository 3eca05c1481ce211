"""Mistake: ``x = layer_norm1(x + multihead_attention(x))``: the original Transformer's post-norm.

The 2017 paper normalised after the residual sum; GPT-2 moved the norm in
front of each sub-layer, which keeps the residual path clean and trains deep
stacks more stably. The course builds the GPT-2 block.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TransformerBlock(correct.TransformerBlock):
    def forward(self, x):
        x = self.layer_norm1(x + self.multihead_attention(x))  # mistake: x + mha(layer_norm1(x))
        x = self.layer_norm2(x + self.feed_forward(x))
        return x
