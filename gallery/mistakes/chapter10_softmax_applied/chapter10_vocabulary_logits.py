"""Mistake: ``return F.softmax(self.vocab_projection(self.output_norm(x)), dim=-1)``.

"The model should output probabilities." But the loss (F.cross_entropy) and
generate both apply the softmax themselves: softmax twice squeezes every
distribution towards uniform, and the model can barely learn.
"""

from torch.nn import functional as F

from gallery import correct_chapter

correct = correct_chapter(__name__)


class VocabularyLogits(correct.VocabularyLogits):
    def forward(self, x):
        return F.softmax(self.vocab_projection(self.output_norm(x)), dim=-1)  # mistake: return the logits
