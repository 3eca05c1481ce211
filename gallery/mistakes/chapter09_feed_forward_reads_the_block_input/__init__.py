"""Chapter 09, a mistake: feed-forward reads the block input.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "feed-forward reads the block input"
EXPECTED_WORDS = ("block input",)

__path__ = falls_through_to_reference(__path__)
