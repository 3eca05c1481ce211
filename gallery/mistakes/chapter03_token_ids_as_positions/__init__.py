"""Chapter 03, a mistake: token ids looked up as positions.

The code, and why it is wrong: chapter03_position_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "token ids looked up as positions"
EXPECTED_WORDS = ("position", "(T, C)")

__path__ = falls_through_to_reference(__path__)
