"""Chapter 09, a mistake: missing residual around the attention.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "missing residual around the attention"
EXPECTED_WORDS = ("missing residual",)

__path__ = falls_through_to_reference(__path__)
