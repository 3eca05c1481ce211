"""Mistake: evaluate never calls ``model.eval()``.

Dropout stays on while measuring: the losses come out noisier and higher
than what the model really does.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def evaluate(self):
        # mistake: self.model.eval() is missing
        mean_losses = {}
        with torch.no_grad():
            for split in ("train", "val"):
                losses = torch.zeros(self.config.evaluation_loops)
                for loop in range(self.config.evaluation_loops):
                    inputs, targets = self.data_loader.get_batch(split)
                    _, loss = self.model(inputs, targets)
                    losses[loop] = loss.item()
                mean_losses[split] = losses.mean().item()
        self.model.train()
        return mean_losses
