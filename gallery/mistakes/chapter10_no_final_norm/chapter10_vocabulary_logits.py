"""Mistake: ``return self.vocab_projection(x)``: the final norm is made but skipped.

The residual stream grows from block to block (every block *adds* to it);
without the last norm the logits' scale drifts with it, and training is
slower and less stable.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class VocabularyLogits(correct.VocabularyLogits):
    def forward(self, x):
        return self.vocab_projection(x)  # mistake: self.vocab_projection(self.output_norm(x))
