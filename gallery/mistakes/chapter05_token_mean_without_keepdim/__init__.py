"""Chapter 05, a mistake: token_mean without keepdim.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "token_mean without keepdim"
EXPECTED_WORDS = ("keepdim",)

__path__ = falls_through_to_reference(__path__)
