"""Chapter 05, a mistake: gamma and beta not registered as parameters.

The code, and why it is wrong: chapter05_layer_norm.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "gamma and beta not registered as parameters"
EXPECTED_WORDS = ("nn.Parameter",)

__path__ = falls_through_to_reference(__path__)
