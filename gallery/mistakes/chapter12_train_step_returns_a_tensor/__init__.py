"""Chapter 12, a mistake: train_step returns the loss tensor.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "train_step returns the loss tensor"
EXPECTED_WORDS = ("loss.item()",)

__path__ = falls_through_to_reference(__path__)
