"""Chapter 02, a mistake: embed returns the whole table.

The code, and why it is wrong: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "embed returns the whole table"
EXPECTED_WORDS = ("ids of shape",)

__path__ = falls_through_to_reference(__path__)
