"""Mistake: ``weights * keep_mask`` in inverted_dropout: the survivors are not rescaled.

Dropping a fraction p of the weights lowers their expected sum by (1 - p);
without dividing by 1 - p the network sees smaller numbers in training than
at inference, when dropout is off.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def inverted_dropout(weights, keep_mask, p):
    return weights * keep_mask  # mistake: / (1 - p)
