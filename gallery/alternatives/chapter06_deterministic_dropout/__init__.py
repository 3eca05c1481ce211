"""Chapter 06, an alternative: the tutorial's DeterministicDropout instead of nn.Dropout.

The code, and why it is right: chapter06_attention_head.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "the tutorial's DeterministicDropout(config.dropout_rate) instead of nn.Dropout"
TRAINING = False  # the training test runs with dropout_rate = 0: nothing of dropout to see there

__path__ = falls_through_to_reference(__path__)
