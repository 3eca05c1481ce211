"""Chapter 03, a mistake: position indices counted from 1.

The code, and why it is wrong: chapter03_position_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "position indices counted from 1"
EXPECTED_WORDS = ('count from 0',)

__path__ = falls_through_to_reference(__path__)
