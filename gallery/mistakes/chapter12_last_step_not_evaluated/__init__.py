"""Chapter 12, a mistake: last step never evaluated.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "last step never evaluated"
EXPECTED_WORDS = ("last step",)

__path__ = falls_through_to_reference(__path__)
