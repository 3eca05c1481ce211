"""Chapter 09, a mistake: residual from the normalised input.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "residual from the normalised input"
EXPECTED_WORDS = ("normalised input",)

__path__ = falls_through_to_reference(__path__)
