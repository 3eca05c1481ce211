"""Chapter 11, a mistake: returning only the new tokens.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "returning only the new tokens"
EXPECTED_WORDS = ("T0 + max_new_tokens",)

__path__ = falls_through_to_reference(__path__)
