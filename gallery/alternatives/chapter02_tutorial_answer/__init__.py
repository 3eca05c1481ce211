"""Chapter 02, an alternative: the tutorial's own answer, pasted into the kata.

The code, and where it comes from: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "the tutorial's answer (Everyone's nanoGPT, chapter 02), pasted into the kata"

__path__ = falls_through_to_reference(__path__)
