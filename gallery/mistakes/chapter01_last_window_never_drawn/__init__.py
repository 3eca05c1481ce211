"""Chapter 01, a mistake: last window never drawn (off by one).

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "last window never drawn (off by one)"
EXPECTED_WORDS = ("last", "off by one")

__path__ = falls_through_to_reference(__path__)
