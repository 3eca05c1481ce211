"""Mistake: ``return loss`` instead of ``return loss.item()``.

The tensor keeps its whole autograd graph alive for as long as anyone holds
it: a history of 5000 of them keeps 5000 graphs in memory.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train_step(self):
        inputs, targets = self.data_loader.get_batch("train")
        _, loss = self.model(inputs, targets)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss  # mistake: loss.item()
