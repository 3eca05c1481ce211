"""Chapter 08, a mistake: ReLU after the last Linear.

The code, and why it is wrong: chapter08_feed_forward.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "ReLU after the last Linear"
EXPECTED_WORDS = ("ReLU after the last Linear",)

__path__ = falls_through_to_reference(__path__)
