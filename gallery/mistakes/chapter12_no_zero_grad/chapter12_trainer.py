"""Mistake: train_step never resets the gradients.

loss.backward() *adds* to whatever .grad holds. Without zero_grad every step
uses the sum of all gradients so far: the updates grow and point more and
more in the direction of old batches.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train_step(self):
        inputs, targets = self.data_loader.get_batch("train")
        _, loss = self.model(inputs, targets)
        # mistake: self.optimizer.zero_grad() is missing
        loss.backward()
        self.optimizer.step()
        return loss.item()
