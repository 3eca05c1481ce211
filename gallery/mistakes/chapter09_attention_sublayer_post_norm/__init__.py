"""Chapter 09, a mistake: post-norm attention sub-layer.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "post-norm attention sub-layer"
EXPECTED_WORDS = ("post-norm",)

__path__ = falls_through_to_reference(__path__)
