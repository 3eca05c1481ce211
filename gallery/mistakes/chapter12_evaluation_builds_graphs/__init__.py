"""Chapter 12, a mistake: evaluation that builds autograd graphs.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "evaluation that builds autograd graphs"
EXPECTED_WORDS = ("no_grad",)

__path__ = falls_through_to_reference(__path__)
