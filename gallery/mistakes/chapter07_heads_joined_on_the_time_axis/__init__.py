"""Chapter 07, a mistake: heads concatenated on the wrong axis.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "heads concatenated on the wrong axis"
EXPECTED_WORDS = ("feature axis",)

__path__ = falls_through_to_reference(__path__)
