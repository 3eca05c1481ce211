"""Chapter 12, a mistake: no zero_grad.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no zero_grad"
EXPECTED_WORDS = ("zero_grad",)

__path__ = falls_through_to_reference(__path__)
