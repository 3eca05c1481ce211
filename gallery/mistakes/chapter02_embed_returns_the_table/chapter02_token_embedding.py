"""Mistake: embed returns the table's weight instead of looking the ids up.

``return self.token_embedding_table.weight`` is (V, C) whatever the input:
the ids are never used, so every sequence gets the same "embedding".
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TokenEmbedding(correct.TokenEmbedding):
    def embed(self, input_indices):
        return self.token_embedding_table.weight  # mistake: the ids are ignored
