"""Chapter 10, a mistake: softmax over the positions.

The code, and why it is wrong: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "softmax over the positions"
EXPECTED_WORDS = ("dim=-1",)

__path__ = falls_through_to_reference(__path__)
