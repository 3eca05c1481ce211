"""Chapter 08, a mistake: dropout between the layers.

The code, and why it is wrong: chapter08_feed_forward.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "dropout between the layers"
EXPECTED_WORDS = ("dropout comes last",)

__path__ = falls_through_to_reference(__path__)
