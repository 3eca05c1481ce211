"""Chapter 06, a mistake: scores not scaled.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "scores not scaled"
EXPECTED_WORDS = ("head_size ** -0.5",)

__path__ = falls_through_to_reference(__path__)
