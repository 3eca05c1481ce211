"""Chapter 12 — Trainer: learning, one batch at a time.

A training step is four moves, always in this order:

    1. forward:   loss of the model on one training batch
    2. zero_grad: clear the gradients of the last step (PyTorch *adds* new
                  gradients to old ones unless you reset them)
    3. backward:  loss.backward() computes a gradient for every parameter
    4. step:      the optimiser (AdamW) moves every parameter a little
                  against its gradient

The training loss of one batch is noisy. To know how the model really does,
``evaluate`` averages the loss over ``evaluation_loops`` batches of each
split, with the model in eval mode (dropout off) and without building an
autograd graph (no_grad), then switches the model back to training mode.
If the train loss keeps falling while the val loss rises, the model is
memorising the training text: it overfits.
"""

import torch


class Trainer:
    """Trains a language model with an optimiser on batches from a DataLoader.

    model:       returns (logits, loss) when called with (inputs, targets)
    optimizer:   e.g. ``torch.optim.AdamW(model.parameters(), lr=...)``
    data_loader: has ``get_batch(split)``
    config:      needs ``total_training_steps``, ``evaluation_frequency`` and
                 ``evaluation_loops``
    """

    def __init__(self, model, optimizer, data_loader, config):
        """Keep the four collaborators."""
        self.model = model
        self.optimizer = optimizer
        self.data_loader = data_loader
        self.config = config

    def train_step(self):
        """One optimisation step on one training batch; returns its loss as a float."""
        # BEGIN SOLUTION
        inputs, targets = self.data_loader.get_batch("train")
        _, loss = self.model(inputs, targets)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss.item()
        # END SOLUTION

    def evaluate(self):
        """Return {"train": mean loss, "val": mean loss} over evaluation_loops batches each.

        Runs in eval mode without gradients and leaves the model in training
        mode.
        """
        # BEGIN SOLUTION
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
        self.model.train()
        return mean_losses
        # END SOLUTION

    def train(self):
        """Run ``total_training_steps`` steps, evaluating every ``evaluation_frequency``.

        At step 0, every ``evaluation_frequency`` steps and after the last
        step, print ``step N: train loss X, val loss Y`` and record it.
        Returns the list of records: {"step": N, "train": X, "val": Y}.
        """
        # BEGIN SOLUTION
        history = []

        def report(step):
            losses = self.evaluate()
            history.append({"step": step, **losses})
            print(f"step {step}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")

        for step in range(self.config.total_training_steps):
            if step % self.config.evaluation_frequency == 0:
                report(step)
            self.train_step()
        report(self.config.total_training_steps)
        return history
        # END SOLUTION
