"""Chapter 08, a mistake: first layer applied without its bias.

The code, and why it is wrong: chapter08_feed_forward.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "first layer applied without its bias"
EXPECTED_WORDS = ("fc1",)

__path__ = falls_through_to_reference(__path__)
