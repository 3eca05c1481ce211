"""Chapter 06, a mistake: mask kept as a plain tensor, not a buffer.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "mask kept as a plain tensor, not a buffer"
EXPECTED_WORDS = ("device",)
KNOWN_GAP = (
    "no test moves the head to another device; tests/test_chapter06 should run it with .to('meta') on a "
    "meta input, where a mask kept as a plain CPU tensor fails"
)

__path__ = falls_through_to_reference(__path__)
