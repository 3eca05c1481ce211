"""Chapter 00, a mistake: transpose swaps the batch dimension.

The code, and why it is wrong: chapter00_warmup.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "transpose swaps the batch dimension"
EXPECTED_WORDS = ('last two dimensions',)

__path__ = falls_through_to_reference(__path__)
