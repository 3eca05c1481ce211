"""Chapter 09, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 09 "TransformerBlock": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

from torch import nn

from gallery import correct_chapter

from .chapter07_multi_head_attention import MultiHeadAttention
from .chapter08_feed_forward import FeedForward

correct_chapter(__name__)  # every step the answer does not define comes from the correct chapter


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
        self.layer_norm1 = nn.LayerNorm(config.embedding_dim)
        self.layer_norm2 = nn.LayerNorm(config.embedding_dim)
        self.multihead_attention = MultiHeadAttention(config=config)
        self.feed_forward = FeedForward(config=config)

    def forward(self, input_tensor):
        """input_tensor: (B, T, C)  ->  (B, T, C)"""
        normalized_input = self.layer_norm1(input_tensor)
        multihead_attention_output = self.multihead_attention(normalized_input)
        residual_attention = multihead_attention_output + input_tensor
        normalized_residual = self.layer_norm2(residual_attention)
        feedforward_output = self.feed_forward(normalized_residual)
        return feedforward_output + residual_attention
