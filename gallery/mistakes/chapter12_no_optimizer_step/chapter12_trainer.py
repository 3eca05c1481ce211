"""Mistake: train_step computes gradients and never applies them.

The loss is computed and backpropagated, so the code "looks like training",
but without optimizer.step() not one parameter moves.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train_step(self):
        inputs, targets = self.data_loader.get_batch("train")
        _, loss = self.model(inputs, targets)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        # mistake: self.optimizer.step() is missing
        return loss.item()
