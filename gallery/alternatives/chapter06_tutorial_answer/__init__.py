"""Chapter 06, an alternative: the tutorial's own answer, pasted into the kata.

The code, and where it comes from: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "the tutorial's answer (Everyone's nanoGPT, chapter 06), pasted into the kata"

__path__ = falls_through_to_reference(__path__)
