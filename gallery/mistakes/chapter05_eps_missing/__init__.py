"""Chapter 05, a mistake: eps missing.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "eps missing"
EXPECTED_WORDS = ("variance 0", "eps")

__path__ = falls_through_to_reference(__path__)
