"""Chapter 12, a mistake: evaluation that leaves eval mode on.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "evaluation that leaves eval mode on"
EXPECTED_WORDS = ("model.train()",)

__path__ = falls_through_to_reference(__path__)
