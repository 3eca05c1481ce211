"""Chapter 11, a mistake: generate not cropping its context.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "generate not cropping its context"
EXPECTED_WORDS = ("crop",)

__path__ = falls_through_to_reference(__path__)
