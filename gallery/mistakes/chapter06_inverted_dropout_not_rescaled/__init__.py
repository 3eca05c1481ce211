"""Chapter 06, a mistake: inverted_dropout not rescaled.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "inverted_dropout not rescaled"
EXPECTED_WORDS = ("1 - p",)

__path__ = falls_through_to_reference(__path__)
