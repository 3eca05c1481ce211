"""Chapter 10, an alternative: the learner's own LayerNorm as the final norm.

The code, and why it is right: chapter10_vocabulary_logits.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "the learner's own LayerNorm as the final norm"

__path__ = falls_through_to_reference(__path__)
