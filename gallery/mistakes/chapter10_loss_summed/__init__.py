"""Chapter 10, a mistake: cross-entropy summed over the positions.

The code, and why it is wrong: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "cross-entropy summed over the positions"
EXPECTED_WORDS = ("mean",)

__path__ = falls_through_to_reference(__path__)
