"""Chapter 08, a mistake: no ReLU between the layers.

The code, and why it is wrong: chapter08_feed_forward.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no ReLU between the layers"
EXPECTED_WORDS = ("ReLU",)

__path__ = falls_through_to_reference(__path__)
