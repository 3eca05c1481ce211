"""Chapter 05, a mistake: unbiased variance.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "unbiased variance"
EXPECTED_WORDS = ("biased variance",)

__path__ = falls_through_to_reference(__path__)
