"""Chapter 01, a mistake: get_batch seeds the random generator.

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "get_batch seeds the random generator"
EXPECTED_WORDS = ("manual_seed", "get_batch")

__path__ = falls_through_to_reference(__path__)
