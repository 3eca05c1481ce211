"""Mistake: ``embedding_dim / num_heads`` in head_size_for: 8 / 2 is 4.0, a float.

A float head size cannot size ``nn.Linear`` layers or tensors; use integer
division, ``embedding_dim // num_heads``.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def head_size_for(embedding_dim, num_heads):
    return embedding_dim / num_heads  # mistake: //
