"""Chapter 05, an alternative: hand-written second moment.

The code, and why it is right: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "hand-written second moment"
# The trained model normalises with nn.LayerNorm (chapters 09 and 10): training would not use this
# module.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
