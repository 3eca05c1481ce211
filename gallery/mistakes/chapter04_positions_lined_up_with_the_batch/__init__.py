"""Chapter 04, a mistake: position embeddings lined up with the batch axis.

The code, and why it is wrong: chapter04_embedding_module.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "position embeddings lined up with the batch axis"
EXPECTED_WORDS = ("broadcasting",)

__path__ = falls_through_to_reference(__path__)
