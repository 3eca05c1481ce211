"""Chapter 06, an alternative: einsum instead of @.

The code, and why it is right: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "einsum instead of @"
# Forward is checked exactly by chapters 06 to 11, with operations autograd handles as they are: the
# threshold training would add nothing.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
