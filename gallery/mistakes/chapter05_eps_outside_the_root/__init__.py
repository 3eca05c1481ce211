"""Chapter 05, a mistake: eps outside the square root.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "eps outside the square root"
EXPECTED_WORDS = ("eps", "square root")

__path__ = falls_through_to_reference(__path__)
