"""Chapter 06, a mistake: values taken from the wrong projection.

The code, and why it is wrong: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "values taken from the wrong projection"
EXPECTED_WORDS = ("value_fc",)

__path__ = falls_through_to_reference(__path__)
