"""Chapter 07, a mistake: heads concatenated on the time axis.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "heads concatenated on the time axis"
EXPECTED_WORDS = ("time axis",)

__path__ = falls_through_to_reference(__path__)
