"""Chapter 04, an alternative: position embedding made first, broadcast written out.

The code, and why it is right: chapter04_embedding_module.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "position embedding made first, broadcast written out"
# Chapter 04 checks the sum and that gradients reach both tables: the threshold training would add
# nothing.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
