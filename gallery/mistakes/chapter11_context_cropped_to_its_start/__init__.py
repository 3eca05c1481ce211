"""Chapter 11, a mistake: context cropped to its first tokens. The code, and why: chapter11_bigram_language_model.py."""

from gallery import falls_through_to_reference

MISTAKE = "context cropped to its first tokens"
EXPECTED_WORDS = ("last",)

__path__ = falls_through_to_reference(__path__)
