"""Chapter 11, an alternative: torch.inference_mode, crop only when too long.

The code, and why it is right: chapter11_bigram_language_model.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "torch.inference_mode, crop only when too long"
# Only generate differs, and the threshold training never generates.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
