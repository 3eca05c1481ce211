"""Chapter 03, a mistake: all positions whatever T.

The code, and why it is wrong: chapter03_position_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "all positions whatever T"
EXPECTED_WORDS = ("(T, C)",)

__path__ = falls_through_to_reference(__path__)
