"""Chapter 01, a mistake: window runs past the end (off by one).

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "window runs past the end (off by one)"
EXPECTED_WORDS = ("past the end",)

__path__ = falls_through_to_reference(__path__)
