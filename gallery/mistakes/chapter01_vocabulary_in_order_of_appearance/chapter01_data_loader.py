"""Mistake: the vocabulary keeps the characters in the order they first appear.

``list(dict.fromkeys(text))`` (or a loop appending unseen characters) gives
each character once, but unsorted: the ids then depend on where a character
first occurs, and 'Hello World!' is no longer [2, 5, 6, 6, 7, 0, ...].

As in a learner's kata, the class calls the step: the wrong step is wired
into this entry's copy of the correct chapter too.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


def vocabulary(text):
    return list(dict.fromkeys(text))  # mistake: not sorted


correct.vocabulary = vocabulary
