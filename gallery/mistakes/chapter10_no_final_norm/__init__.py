"""Chapter 10, a mistake: no final norm.

The code, and why it is wrong: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no final norm"
EXPECTED_WORDS = ("output_norm",)

__path__ = falls_through_to_reference(__path__)
