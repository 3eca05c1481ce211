"""Chapter 10, a mistake: norm applied to the logits.

The code, and why it is wrong: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "norm applied to the logits"
EXPECTED_WORDS = ("norm",)

__path__ = falls_through_to_reference(__path__)
