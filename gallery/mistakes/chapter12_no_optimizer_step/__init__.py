"""Chapter 12, a mistake: no optimizer.step().

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "no optimizer.step()"
EXPECTED_WORDS = ("optimizer.step",)

__path__ = falls_through_to_reference(__path__)
