"""Chapter 02, a mistake: table dimensions swapped.

The code, and why it is wrong: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "table dimensions swapped"
EXPECTED_WORDS = ("(V, C)",)

__path__ = falls_through_to_reference(__path__)
