"""Mistake: attention_sublayer normalises after the residual sum (post-norm).

layer_norm(x + attention(x)) is the 2017 paper's layout; GPT-2 and the tutorial
normalise the sub-layer's input: x + attention(layer_norm(x)).
"""

from gallery import correct_chapter

correct_chapter(__name__)


def attention_sublayer(x, layer_norm, attention):
    return layer_norm(x + attention(x))  # mistake: x + attention(layer_norm(x))
