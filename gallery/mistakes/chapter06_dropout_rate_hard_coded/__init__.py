"""Chapter 06, a mistake: dropout rate hard-coded as 0.5.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "dropout rate hard-coded as 0.5"
EXPECTED_WORDS = ("dropout rate of 0.5", "config.dropout_rate")

__path__ = falls_through_to_reference(__path__)
