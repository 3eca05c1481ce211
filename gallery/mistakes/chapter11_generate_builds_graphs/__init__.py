"""Chapter 11, a mistake: generate building autograd graphs.

The code, and why it is wrong: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "generate building autograd graphs"
EXPECTED_WORDS = ("no_grad",)

__path__ = falls_through_to_reference(__path__)
