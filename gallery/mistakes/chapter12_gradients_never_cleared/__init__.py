"""Chapter 12, a mistake: gradients never cleared.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "gradients never cleared"
EXPECTED_WORDS = ("zero_grad",)

__path__ = falls_through_to_reference(__path__)
