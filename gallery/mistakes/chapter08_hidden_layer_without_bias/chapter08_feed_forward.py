"""Mistake: hidden_layer multiplies by fc1's weight and forgets its bias.

nn.Linear computes x @ W^T + b; the bias is half of what the layer learns.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def hidden_layer(x, fc1):
    return x @ fc1.weight.T  # mistake: fc1(x), weight and bias
