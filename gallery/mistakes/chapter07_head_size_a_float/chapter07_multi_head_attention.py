"""Mistake: head_size_for divides with /, so the head size is the float 4.0.

nn.Linear(8, 4.0) fails: a layer width must be an int. C // n gives one.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def head_size_for(embedding_dim, num_attention_heads):
    return embedding_dim / num_attention_heads  # mistake: embedding_dim // num_attention_heads
