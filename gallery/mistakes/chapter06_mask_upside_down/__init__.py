"""Chapter 06, a mistake: triu instead of tril: the past masked. The code, and why: chapter06_attention_head.py."""

from gallery import falls_through_to_reference

MISTAKE = "triu instead of tril: the past masked"
EXPECTED_WORDS = ("causal",)

__path__ = falls_through_to_reference(__path__)
