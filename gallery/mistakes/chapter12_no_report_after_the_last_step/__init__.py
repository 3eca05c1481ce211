"""Chapter 12, a mistake: no report after the last step.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no report after the last step"
EXPECTED_WORDS = ("last report",)

__path__ = falls_through_to_reference(__path__)
