"""Chapter 06, a mistake: queries and keys swapped.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "queries and keys swapped"
EXPECTED_WORDS = ("swapped",)

__path__ = falls_through_to_reference(__path__)
