"""Alternative: one loop over steps 0 .. total, reporting at multiples of evaluation_frequency and at
the end, and ``model.zero_grad()`` instead of ``optimizer.zero_grad()`` (the same parameters).
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def train_step(self):
        inputs, targets = self.data_loader.get_batch("train")
        self.model.zero_grad(set_to_none=True)
        _, loss = self.model(inputs, targets)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def train(self):
        total, every = self.config.total_training_steps, self.config.evaluation_frequency
        history = []
        for step in range(total + 1):
            if step % every == 0 or step == total:
                losses = self.evaluate()
                print(f"step {step}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
                history.append({"step": step, "train": losses["train"], "val": losses["val"]})
            if step < total:
                self.train_step()
        return history
