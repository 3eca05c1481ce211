"""Chapter 07, a mistake: one head object shared by all heads.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "one head object shared by all heads"
EXPECTED_WORDS = ("same head",)

__path__ = falls_through_to_reference(__path__)
