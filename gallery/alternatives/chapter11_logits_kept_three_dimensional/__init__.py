"""Chapter 11, an alternative: logits kept (B, T, V), class axis moved.

The code, and why it is right: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "logits kept (B, T, V), class axis moved"

__path__ = falls_through_to_reference(__path__)
