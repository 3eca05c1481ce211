"""Mistake: train reports only at multiples of evaluation_frequency, never at the last step.

With 5000 steps and a report every 100, the last report is at step 4900:
the 99 final steps are trained but never measured, and the log ends before
the model it describes. The tutorial also reports at step
total_training_steps - 1.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train(self):
        for step in range(self.config.total_training_steps):
            if step % self.config.evaluation_frequency == 0:  # mistake: or step == total_training_steps - 1
                losses = self.evaluate()
                print(f"Step {step}: Train Loss {losses['train']:.4f}, Validation Loss {losses['val']:.4f}")
            self.train_step()
