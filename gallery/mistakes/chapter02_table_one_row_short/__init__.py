"""Chapter 02, a mistake: table one row short.

The code, and why it is wrong: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "table one row short"
EXPECTED_WORDS = ("one row per id",)

__path__ = falls_through_to_reference(__path__)
