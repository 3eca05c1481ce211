"""Chapter 11, a mistake: greedy token without keepdim.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "greedy token without keepdim"
EXPECTED_WORDS = ("keepdim",)

__path__ = falls_through_to_reference(__path__)
