"""Chapter 06, a mistake: mask_future fills the future with 0.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "mask_future fills the future with 0"
EXPECTED_WORDS = ("exp(0) = 1",)

__path__ = falls_through_to_reference(__path__)
