"""Chapter 11, a mistake: sampling from the logits, not the probabilities.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "sampling from the logits, not the probabilities"
EXPECTED_WORDS = ("softmax",)

__path__ = falls_through_to_reference(__path__)
