"""Chapter 06, a mistake: scale_scores divides by head_size.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "scale_scores divides by head_size"
EXPECTED_WORDS = ("square root",)

__path__ = falls_through_to_reference(__path__)
