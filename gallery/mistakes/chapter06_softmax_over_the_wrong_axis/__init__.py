"""Chapter 06, a mistake: softmax over the wrong axis.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "softmax over the wrong axis"
EXPECTED_WORDS = ("softmax", "dim=-1")

__path__ = falls_through_to_reference(__path__)
