"""Chapter 05, an alternative: the steps written by hand, sums and powers instead of mean and var.

The code: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "steps by hand: sum / C, ((x - mean) ** 2) averaged, rsqrt"
# The steps are not part of the trained model: training would not use this module.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
