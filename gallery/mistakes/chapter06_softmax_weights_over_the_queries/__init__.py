"""Chapter 06, a mistake: softmax_weights over dim 0.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "softmax_weights over dim 0"
EXPECTED_WORDS = ("dim=-1",)

__path__ = falls_through_to_reference(__path__)
