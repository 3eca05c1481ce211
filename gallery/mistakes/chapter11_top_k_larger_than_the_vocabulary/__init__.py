"""Chapter 11, a mistake: top-k with k = 200 on a smaller vocabulary.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "top-k with k = 200 on a smaller vocabulary"
EXPECTED_WORDS = ("top-k",)

__path__ = falls_through_to_reference(__path__)
