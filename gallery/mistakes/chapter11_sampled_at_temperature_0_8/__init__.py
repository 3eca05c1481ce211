"""Chapter 11, a mistake: sampled at temperature 0.8.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "sampled at temperature 0.8"
EXPECTED_WORDS = ("temperature below 1",)

__path__ = falls_through_to_reference(__path__)
