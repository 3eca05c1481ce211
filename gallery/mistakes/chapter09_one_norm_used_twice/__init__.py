"""Chapter 09, a mistake: one norm used twice.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "one norm used twice"
EXPECTED_WORDS = ("used twice",)

__path__ = falls_through_to_reference(__path__)
