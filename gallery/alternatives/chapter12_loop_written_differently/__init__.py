"""Chapter 12, an alternative: one loop over total + 1 steps, model.zero_grad.

The code, and why it is right: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "one loop over total + 1 steps, model.zero_grad"

__path__ = falls_through_to_reference(__path__)
