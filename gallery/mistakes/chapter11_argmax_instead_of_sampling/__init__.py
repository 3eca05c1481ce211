"""Chapter 11, a mistake: argmax instead of sampling.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "argmax instead of sampling"
EXPECTED_WORDS = ("argmax",)

__path__ = falls_through_to_reference(__path__)
