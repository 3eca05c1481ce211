"""Chapter 12, a mistake: evaluation in train mode.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "evaluation in train mode"
EXPECTED_WORDS = ("model.eval()",)

__path__ = falls_through_to_reference(__path__)
