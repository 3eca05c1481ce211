"""Mistake: the rows are read from a detached copy of the table's weight.

``table.weight.detach()[input_indices]`` (or ``table.weight.data[...]``)
gives the right numbers, but no gradient flows back: the table never learns.

As in a learner's kata, the class calls the step: the wrong step is wired
into this entry's copy of the correct chapter too.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


def lookup(table, input_indices):
    return table.weight.detach()[input_indices]  # mistake: cut off from the gradient


correct.lookup = lookup
