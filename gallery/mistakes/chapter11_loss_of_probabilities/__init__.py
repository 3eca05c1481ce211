"""Chapter 11, a mistake: the loss taken of probabilities.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "the loss taken of probabilities"
EXPECTED_WORDS = ("probabilities",)

__path__ = falls_through_to_reference(__path__)
