"""Chapter 09, an alternative: the learner's own LayerNorm instead of nn.LayerNorm.

The code, and why it is right: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "the learner's own LayerNorm instead of nn.LayerNorm"

__path__ = falls_through_to_reference(__path__)
