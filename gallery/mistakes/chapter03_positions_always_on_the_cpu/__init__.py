"""Chapter 03, a mistake: positions made on the CPU.

The code, and why it is wrong: chapter03_position_embedding.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "positions made on the CPU"
EXPECTED_WORDS = ("device",)

__path__ = falls_through_to_reference(__path__)
