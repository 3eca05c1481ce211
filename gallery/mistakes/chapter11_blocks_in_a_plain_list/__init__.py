"""Chapter 11, a mistake: blocks kept in a plain Python list.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "blocks kept in a plain Python list"
EXPECTED_WORDS = ("nn.Sequential",)

__path__ = falls_through_to_reference(__path__)
