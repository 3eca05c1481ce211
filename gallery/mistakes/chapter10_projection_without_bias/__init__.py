"""Chapter 10, a mistake: projection without a bias.

The code, and why it is wrong: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "projection without a bias"
EXPECTED_WORDS = ("bias",)

__path__ = falls_through_to_reference(__path__)
