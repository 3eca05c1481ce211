"""Chapter 06, a mistake: future_mask includes the diagonal.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "future_mask includes the diagonal"
EXPECTED_WORDS = ("diagonal",)

__path__ = falls_through_to_reference(__path__)
