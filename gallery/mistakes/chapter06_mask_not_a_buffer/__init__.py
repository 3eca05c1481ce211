"""Chapter 06, a mistake: mask kept as a plain tensor, not a buffer.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "mask kept as a plain tensor, not a buffer"
EXPECTED_WORDS = ("device",)

__path__ = falls_through_to_reference(__path__)
