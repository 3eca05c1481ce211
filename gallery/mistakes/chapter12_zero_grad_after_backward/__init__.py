"""Chapter 12, a mistake: zero_grad between backward and step.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "zero_grad between backward and step"
EXPECTED_WORDS = ("between backward and step",)

__path__ = falls_through_to_reference(__path__)
