"""Chapter 05, a mistake: token_variance unbiased.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "token_variance unbiased"
EXPECTED_WORDS = ("unbiased",)

__path__ = falls_through_to_reference(__path__)
