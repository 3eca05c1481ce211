"""Chapter 01, a mistake: split point rounded, not truncated.

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "split point rounded, not truncated"
EXPECTED_WORDS = ("split", "0.9")

__path__ = falls_through_to_reference(__path__)
