"""Chapter 12, an alternative: torch.inference_mode evaluation, losses in a list.

The code, and why it is right: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "torch.inference_mode evaluation, losses in a list"

__path__ = falls_through_to_reference(__path__)
