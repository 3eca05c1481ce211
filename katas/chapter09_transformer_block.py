"""Chapter 09 — TransformerBlock: communicate, then compute.

A block is attention (tokens talk to each other) followed by the
feed-forward network (each token thinks), each wrapped in a residual
connection and preceded by a layer norm ("pre-norm", as in GPT-2):

    x = x + multihead_attention(layer_norm1(x))   (B, T, C)
    x = x + feed_forward(layer_norm2(x))          (B, T, C)

The residual ``x + ...`` adds each sub-layer's output to an *un-normalised*
copy of its input: a straight path for gradients through a deep stack, so
every block only learns a correction. Each sub-layer gets its own norm.

Three near misses, all wrong here:

    x = layer_norm1(x + multihead_attention(x))          post-norm (the 2017 paper), not GPT-2's pre-norm
    x = layer_norm1(x); x = x + multihead_attention(x)   the residual carries the normalised copy
    x = multihead_attention(layer_norm1(x))              no residual: the straight path is gone

Which LayerNorm? Your own from chapter 05 and ``nn.LayerNorm`` compute the
same thing and both pass the tests. We suggest ``nn.LayerNorm``, as the
tutorial does: its fused kernel makes training noticeably faster, and
chapter 05 has already shown you what it computes.

Tutorial: Everyone's nanoGPT, Chapter 09 "TransformerBlock", Section 1
(Define a Class); the block is assembled by hand in Chapter 08 Section 3.
"""

from torch import nn

from .chapter07_multi_head_attention import MultiHeadAttention
from .chapter08_feed_forward import FeedForward


class TransformerBlock(nn.Module):
    """Pre-norm transformer block: attention and feed-forward, each residual.

    config: needs ``embedding_dim``, ``num_attention_heads``, ``hidden_dim``,
            ``input_sequence_length`` and ``dropout_rate``

    Attributes: ``layer_norm1``, ``layer_norm2`` (LayerNorm over C),
    ``multihead_attention`` (MultiHeadAttention), ``feed_forward``
    (FeedForward).
    """

    def __init__(self, config):
        """Create the two norms, the attention and the feed-forward."""
        super().__init__()
        raise NotImplementedError("chapter 09: write TransformerBlock.__init__")

    def forward(self, input_tensor):
        """input_tensor: (B, T, C)  ->  (B, T, C)"""
        raise NotImplementedError("chapter 09: write TransformerBlock.forward")
