"""Chapter 04, a mistake: token and position vectors concatenated.

The code, and why it is wrong: chapter04_embedding_module.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "token and position vectors concatenated"
EXPECTED_WORDS = ("(B, T, C)",)

__path__ = falls_through_to_reference(__path__)
