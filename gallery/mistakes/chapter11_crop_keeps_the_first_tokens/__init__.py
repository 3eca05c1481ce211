"""Chapter 11, a mistake: context cropped to its oldest tokens.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "context cropped to its oldest tokens"
EXPECTED_WORDS = ("newest",)

__path__ = falls_through_to_reference(__path__)
