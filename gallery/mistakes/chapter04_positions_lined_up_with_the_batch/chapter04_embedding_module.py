"""Mistake: ``token_embeddings + position_embeddings.unsqueeze(1)``: the positions on the wrong axis.

The (T, C) position block, given a dimension in the middle, becomes (T, 1, C)
and broadcasts against the batch axis: for one sequence the result is
(T, T, C), for several it does not broadcast at all. Broadcasting lines
shapes up from the right; (T, C) already sits where it belongs.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def add_position_embeddings(token_embeddings, position_embeddings):
    return token_embeddings + position_embeddings.unsqueeze(1)  # mistake: (T, 1, C), not (T, C)
