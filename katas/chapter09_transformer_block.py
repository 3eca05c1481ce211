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
(Define a Class: the steps ``attention_sublayer``, ``feed_forward_sublayer``,
``stack_blocks``, then the class); the block is assembled by hand in Chapter
08 Section 3.
"""

from torch import nn

from .chapter06_attention_head import DeterministicDropout  # noqa: F401  the tutorial's dropout, given
from .chapter07_multi_head_attention import MultiHeadAttention
from .chapter08_feed_forward import FeedForward


def attention_sublayer(x, layer_norm, attention):
    """The block's first half, pre-norm: x + attention(layer_norm(x)).

    x:          (B, T, C), the residual stream entering the block
    layer_norm: the block's first norm over C (``layer_norm1``)
    attention:  the multi-head attention, (B, T, C) -> (B, T, C)
    returns:    (B, T, C)

    The norm feeds only the sub-layer; the residual adds its output to the
    un-normalised x.

    Tutorial: Chapter 09, Section 1 (Define a Class), ``residual_attention =
    multihead_attention(layer_norm1(x)) + x``; by hand in Chapter 07,
    Section 3 and Chapter 08, Section 3.
    """
    raise NotImplementedError("chapter 09: write attention_sublayer")


def feed_forward_sublayer(x, layer_norm, feed_forward):
    """The block's second half, pre-norm: x + feed_forward(layer_norm(x)).

    x:            (B, T, C), the output of ``attention_sublayer``
    layer_norm:   the block's second norm over C (``layer_norm2``)
    feed_forward: the feed-forward network, (B, T, C) -> (B, T, C)
    returns:      (B, T, C)

    Tutorial: Chapter 09, Section 1 (Define a Class), ``feed_forward(
    layer_norm2(residual_attention)) + residual_attention``; by hand in
    Chapter 08, Section 3 (``transformer_output``).
    """
    raise NotImplementedError("chapter 09: write feed_forward_sublayer")


def stack_blocks(x, blocks):
    """Run transformer blocks one after another: each block reads the previous block's output.

    x:       (B, T, C), the embeddings
    blocks:  a sequence of modules (B, T, C) -> (B, T, C), e.g. two TransformerBlocks
    returns: (B, T, C), the last block's output (x itself when there is no block)

    Tutorial: Chapter 09, Section 1: ``transformer_block1`` on the sample
    embeddings, ``transformer_block2`` on block 1's output (chapter 11 does
    the same with ``nn.Sequential``).
    """
    raise NotImplementedError("chapter 09: write stack_blocks")


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
