"""Mistake: ``loss.backward(); optimizer.zero_grad(); optimizer.step()``.

The gradients are computed and then wiped before the step can use them:
AdamW steps with zero gradients (only its weight decay moves anything).
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train_step(self):
        inputs, targets = self.data_loader.get_batch("train")
        _, loss = self.model(inputs, targets)
        loss.backward()
        self.optimizer.zero_grad(set_to_none=True)  # mistake: before backward
        self.optimizer.step()
        return loss.item()
