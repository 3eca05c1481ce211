"""Chapter 07, a mistake: head size computed with /, a float.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "head size computed with /, a float"
EXPECTED_WORDS = ("int",)

__path__ = falls_through_to_reference(__path__)
