"""Chapter 12, a mistake: val loss measured on the train split.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "val loss measured on the train split"
EXPECTED_WORDS = ("each split",)

__path__ = falls_through_to_reference(__path__)
