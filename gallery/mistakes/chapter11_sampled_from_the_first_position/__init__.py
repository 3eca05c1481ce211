"""Chapter 11, a mistake: sampling from the wrong position.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "sampling from the wrong position"
EXPECTED_WORDS = ("last position",)

__path__ = falls_through_to_reference(__path__)
