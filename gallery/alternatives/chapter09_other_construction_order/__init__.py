"""Chapter 09, an alternative: other construction order, named intermediate results.

The code, and why it is right: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "other construction order, named intermediate results"
# Forward is checked exactly by chapters 09 to 11, with operations autograd handles as they are: the
# threshold training would add nothing.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
