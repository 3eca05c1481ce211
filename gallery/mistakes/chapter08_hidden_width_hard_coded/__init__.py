"""Chapter 08, a mistake: hidden width 4 * C instead of hidden_dim.

The code, and why it is wrong: chapter08_feed_forward.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "hidden width 4 * C instead of hidden_dim"
EXPECTED_WORDS = ("hidden_dim",)

__path__ = falls_through_to_reference(__path__)
