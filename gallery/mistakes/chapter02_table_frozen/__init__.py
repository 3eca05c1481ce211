"""Chapter 02, a mistake: table frozen (from_pretrained).

The code, and why it is wrong: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "table frozen (from_pretrained)"
EXPECTED_WORDS = ("learnable",)

__path__ = falls_through_to_reference(__path__)
