"""Mistake: ``get_batch("train")`` in both halves of the evaluation.

A copy-paste slip: "val" is then just a second estimate of the training
loss, and overfitting can never show.
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
                    inputs, targets = self.data_loader.get_batch("train")  # mistake: get_batch(split)
                    _, loss = self.model(inputs, targets)
                    losses[loop] = loss.item()
                mean_losses[split] = losses.mean().item()
        self.model.train()
        return mean_losses
