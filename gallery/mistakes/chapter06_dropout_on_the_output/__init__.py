"""Chapter 06, a mistake: dropout on the output, not the weights.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "dropout on the output, not the weights"
EXPECTED_WORDS = ("dropout",)

__path__ = falls_through_to_reference(__path__)
