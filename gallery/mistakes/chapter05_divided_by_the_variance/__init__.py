"""Chapter 05, a mistake: divided by the variance, not its root.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "divided by the variance, not its root"
EXPECTED_WORDS = ("standard deviation",)

__path__ = falls_through_to_reference(__path__)
