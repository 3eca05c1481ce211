"""Chapter 06, an alternative: the steps written the tutorial's way and other ways.

The code: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "steps written differently: torch.dot, torch.matmul, -1e9, softmax by hand, int(C / n)"
# The steps are not part of the trained model: training would not use this module.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
