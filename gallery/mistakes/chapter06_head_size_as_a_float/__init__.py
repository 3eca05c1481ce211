"""Chapter 06, a mistake: head_size_for returns a float.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "head_size_for returns a float"
EXPECTED_WORDS = ("integer division",)

__path__ = falls_through_to_reference(__path__)
