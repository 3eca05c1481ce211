"""Chapter 07, a mistake: output projection skipped.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "output projection skipped"
EXPECTED_WORDS = ("output_projection",)

__path__ = falls_through_to_reference(__path__)
