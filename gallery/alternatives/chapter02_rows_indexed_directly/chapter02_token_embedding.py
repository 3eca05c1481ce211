"""Alternative: ``self.token_embedding_table.weight[indices]`` instead of calling the layer.

Indexing the (V, C) weight with a tensor of ids picks the same rows, and the
gradient reaches the same rows.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class TokenEmbedding(correct.TokenEmbedding):
    def forward(self, indices):
        return self.token_embedding_table.weight[indices]
