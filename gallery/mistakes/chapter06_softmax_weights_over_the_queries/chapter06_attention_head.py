"""Mistake: ``F.softmax(scores, dim=0)`` in softmax_weights: the columns sum to 1, not the rows.

Row t is the weights word t gives to every word; normalising down a column
mixes the views of different queries. With a batch dimension dim=0 is the
batch itself.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct_chapter(__name__)


def softmax_weights(scores):
    return F.softmax(scores, dim=0)  # mistake: dim=-1
