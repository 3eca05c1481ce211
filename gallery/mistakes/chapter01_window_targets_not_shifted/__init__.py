"""Chapter 01, a mistake: window targets not shifted.

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "window targets not shifted"
EXPECTED_WORDS = ('shifted',)

__path__ = falls_through_to_reference(__path__)
