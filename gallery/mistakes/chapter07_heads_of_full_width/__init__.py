"""Chapter 07, a mistake: every head as wide as the embedding.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "every head as wide as the embedding"
EXPECTED_WORDS = ("embedding_dim // num_attention_heads",)

__path__ = falls_through_to_reference(__path__)
