"""Chapter 01, a mistake: split index rounded.

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "split index rounded"
EXPECTED_WORDS = ('int(',)

__path__ = falls_through_to_reference(__path__)
