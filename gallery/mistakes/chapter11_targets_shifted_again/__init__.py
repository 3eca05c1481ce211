"""Chapter 11, a mistake: the loss misaligned with the targets.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "the loss misaligned with the targets"
EXPECTED_WORDS = ("shifted again",)

__path__ = falls_through_to_reference(__path__)
