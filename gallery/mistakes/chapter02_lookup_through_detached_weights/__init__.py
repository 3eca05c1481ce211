"""Chapter 02, a mistake: lookup through detached weights.

The code, and why it is wrong: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "lookup through detached weights"
EXPECTED_WORDS = ('gradient',)

__path__ = falls_through_to_reference(__path__)
