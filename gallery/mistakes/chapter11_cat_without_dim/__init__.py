"""Chapter 11, a mistake: new token joined without dim=1.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "new token joined without dim=1"
EXPECTED_WORDS = ("dim=1",)

__path__ = falls_through_to_reference(__path__)
