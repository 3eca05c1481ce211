"""Chapter 06, a mistake: scaled by embedding_dim instead of head_size.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "scaled by embedding_dim instead of head_size"
EXPECTED_WORDS = ("head_size", "embedding_dim")

__path__ = falls_through_to_reference(__path__)
