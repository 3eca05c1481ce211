"""Mistake: train reports only inside the loop, at multiples of evaluation_frequency.

With 5000 steps and a report every 100, the last report is at step 4900:
the 100 final steps are trained but never measured, and the history ends
before the model it describes.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train(self):
        history = []
        for step in range(self.config.total_training_steps):
            if step % self.config.evaluation_frequency == 0:
                losses = self.evaluate()
                history.append({"step": step, **losses})
                print(f"step {step}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
            self.train_step()
        return history  # mistake: evaluate and report once more after the last step
