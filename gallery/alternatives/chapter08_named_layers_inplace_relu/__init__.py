"""Chapter 08, an alternative: named layers, in-place ReLU.

The code, and why it is right: chapter08_feed_forward.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "named layers, in-place ReLU"

__path__ = falls_through_to_reference(__path__)
