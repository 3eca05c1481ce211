"""Mistake: forward returns the token vectors only.

The position embedding is created (so its parameters exist) but never used:
the model sees a bag of characters and cannot tell "dog bites man" from
"man bites dog".
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class EmbeddingModule(correct.EmbeddingModule):
    def forward(self, indices):
        return self.token_embedding_layer(indices)  # mistake: + self.position_embedding_layer(indices)
