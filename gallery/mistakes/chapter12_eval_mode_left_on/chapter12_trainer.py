"""Mistake: evaluate switches to eval mode and never back.

Every training step after the first evaluation then runs without dropout:
the model overfits, and nothing in the output says why.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def evaluate(self):
        self.model.eval()
        mean_losses = {}
        with torch.no_grad():
            for split in ("train", "val"):
                losses = torch.zeros(self.config.evaluation_loops)
                for loop in range(self.config.evaluation_loops):
                    inputs, targets = self.data_loader.get_batch(split)
                    _, loss = self.model(inputs, targets)
                    losses[loop] = loss.item()
                mean_losses[split] = losses.mean().item()
        # mistake: self.model.train() is missing
        return mean_losses
