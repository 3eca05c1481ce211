"""Chapter 09, a mistake: every block reads the embeddings.

The code, and why it is wrong: chapter09_transformer_block.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "every block reads the embeddings"
EXPECTED_WORDS = ("transformer_block1's output",)

__path__ = falls_through_to_reference(__path__)
