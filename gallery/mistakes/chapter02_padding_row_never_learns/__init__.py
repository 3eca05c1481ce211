"""Chapter 02, a mistake: a padding row that never learns.

The code, and why it is wrong: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "a padding row that never learns (padding_idx)"
EXPECTED_WORDS = ("never receive a gradient", "rows 0")

__path__ = falls_through_to_reference(__path__)
