"""Mistake: the evaluation loop without ``torch.no_grad()``.

The numbers are right, but every forward pass records an autograd graph
nobody uses: evaluation takes longer and needs much more memory.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class Trainer(correct.Trainer):
    def evaluate(self):
        self.model.eval()
        mean_losses = {}
        if True:  # mistake: with torch.no_grad():
            for split in ("train", "val"):
                losses = torch.zeros(self.config.evaluation_loops)
                for loop in range(self.config.evaluation_loops):
                    inputs, targets = self.data_loader.get_batch(split)
                    _, loss = self.model(inputs, targets)
                    losses[loop] = loss.item()
                mean_losses[split] = losses.mean().item()
        self.model.train()
        return mean_losses
