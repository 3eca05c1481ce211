"""Mistake: the split index is rounded instead of cut with int().

``round(0.9 * N)`` moves the split point one token later whenever the
fraction is .5 or more: the play's 1115394 ids split at 1003855, not the
tutorial's 1003854.

As in a learner's kata, the class calls the step: the wrong step is wired
into this entry's copy of the correct chapter too.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


def split_index(data_length):
    return round(0.9 * data_length)  # mistake: int() cuts the fraction off


correct.split_index = split_index
