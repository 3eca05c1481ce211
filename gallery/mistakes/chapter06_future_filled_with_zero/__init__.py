"""Chapter 06, a mistake: future filled with 0 instead of -inf.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "future filled with 0 instead of -inf"
EXPECTED_WORDS = ("-inf",)

__path__ = falls_through_to_reference(__path__)
