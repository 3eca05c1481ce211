"""Chapter 12, an alternative: zero_grad(set_to_none=False) before the forward pass.

The code, and why it is right: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "zero_grad(set_to_none=False) before the forward pass"

__path__ = falls_through_to_reference(__path__)
