"""Chapter 05, a mistake: statistics over the wrong dimension (dim=1).

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "statistics over the wrong dimension (dim=1)"
EXPECTED_WORDS = ("last dimension",)

__path__ = falls_through_to_reference(__path__)
