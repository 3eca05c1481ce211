"""Chapter 06, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 06 "AttentionHead": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch
from torch import nn
from torch.nn import functional as F

from gallery import correct_chapter

# The tutorial's answer holds the classes; the chapter's steps come from the reference.
correct_chapter(__name__)


class AttentionHead(nn.Module):
    """One head of causal (masked) self-attention.

    head_size: H, the width of the queries, keys, values and the output
    config:    needs ``embedding_dim`` (C), ``input_sequence_length`` and
               ``dropout_rate``

    Attributes: ``key_fc``, ``query_fc``, ``value_fc`` (``nn.Linear(C, H,
    bias=False)``, created in this order), the buffer ``tril`` (the causal
    mask), ``dropout`` (``nn.Dropout``, applied to the weights) and
    ``head_size``.
    """

    def __init__(self, head_size, config):
        """Create the three projections, the dropout and the causal mask."""
        super().__init__()
        self.key_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.query_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.value_fc = nn.Linear(config.embedding_dim, head_size, bias=False)
        self.register_buffer(
            'tril', torch.tril(torch.ones(config.input_sequence_length, config.input_sequence_length))
        )
        self.dropout = nn.Dropout(config.dropout_rate)
        self.head_size = head_size

    def forward(self, input_tensor):
        """input_tensor: (B, T, C) with T <= input_sequence_length  ->  (B, T, H)"""
        B, T, C = input_tensor.shape
        Key = self.key_fc.forward(input_tensor)
        Query = self.query_fc.forward(input_tensor)
        Value = self.value_fc.forward(input_tensor)
        attention_scores = Query @ Key.transpose(-2, -1) * self.head_size**(-0.5)
        mask = torch.triu(torch.ones(T, T), diagonal=1).to(input_tensor.device)
        attention_scores = attention_scores.masked_fill(mask == 1, float('-inf'))
        attention_weights = F.softmax(attention_scores, dim=-1)
        attention_weights = self.dropout(attention_weights)
        output = attention_weights @ Value
        return output
