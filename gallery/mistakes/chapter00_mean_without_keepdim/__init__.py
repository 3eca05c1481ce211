"""Chapter 00, a mistake: mean without keepdim.

The code, and why it is wrong: chapter00_warmup.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "mean without keepdim"
EXPECTED_WORDS = ('keepdim',)

__path__ = falls_through_to_reference(__path__)
