"""Chapter 06, a mistake: mask applied after the softmax.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "mask applied after the softmax"
EXPECTED_WORDS = ("after the softmax",)

__path__ = falls_through_to_reference(__path__)
