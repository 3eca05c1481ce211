"""Chapter 06, a mistake: the diagonal masked too.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "the diagonal masked too"
EXPECTED_WORDS = ("diagonal",)

__path__ = falls_through_to_reference(__path__)
