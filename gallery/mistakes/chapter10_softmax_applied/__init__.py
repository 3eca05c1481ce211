"""Chapter 10, a mistake: probabilities returned instead of logits.

The code, and why it is wrong: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "probabilities returned instead of logits"
EXPECTED_WORDS = ("softmax",)

__path__ = falls_through_to_reference(__path__)
