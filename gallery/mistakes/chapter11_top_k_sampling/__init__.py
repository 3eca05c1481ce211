"""Chapter 11, a mistake: top-k sampling (k = 5).

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "top-k sampling (k = 5)"
EXPECTED_WORDS = ("top-k",)

__path__ = falls_through_to_reference(__path__)
