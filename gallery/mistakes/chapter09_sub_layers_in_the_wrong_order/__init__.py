"""Chapter 09, a mistake: sub-layers in the wrong order.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "sub-layers in the wrong order"
EXPECTED_WORDS = ("wrong order",)

__path__ = falls_through_to_reference(__path__)
