"""Chapter 11, a mistake: sampling replaced by argmax.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "sampling replaced by argmax"
EXPECTED_WORDS = ("greedy",)

__path__ = falls_through_to_reference(__path__)
