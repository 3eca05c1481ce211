"""Chapter 11, a mistake: no final norm.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no final norm"
EXPECTED_WORDS = ("final norm",)

__path__ = falls_through_to_reference(__path__)
