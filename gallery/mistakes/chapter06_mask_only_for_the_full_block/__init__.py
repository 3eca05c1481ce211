"""Chapter 06, a mistake: mask built only for the full block length.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "mask built only for the full block length"
EXPECTED_WORDS = ("tril[:T, :T]",)

__path__ = falls_through_to_reference(__path__)
