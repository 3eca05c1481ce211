"""Chapter 06, a mistake: no causal mask.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no causal mask"
EXPECTED_WORDS = ("causal",)

__path__ = falls_through_to_reference(__path__)
