"""Chapter 12, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 12 "Trainer": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch

from gallery import correct_chapter

correct_chapter(__name__)  # every step the answer does not define comes from the correct chapter


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
        input_batch, target_batch = self.data_loader.get_batch('train')
        self.optimizer.zero_grad()
        logits, loss = self.model(input_batch, target_batch)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def evaluate(self):
        """Return {"train": mean loss, "val": mean loss} over evaluation_loops batches each.

        Runs in eval mode without gradients and leaves the model in training
        mode.
        """
        out = {}
        self.model.eval()
        with torch.no_grad():
            for split in ['train', 'val']:
                losses = torch.zeros(self.config.evaluation_loops)
                for k in range(self.config.evaluation_loops):
                    input_batch, target_batch = self.data_loader.get_batch(split)
                    logits, loss = self.model(input_batch, target_batch)
                    losses[k] = loss.item()
                out[split] = losses.mean()
        self.model.train()
        return out

    def train(self):
        """Run ``total_training_steps`` train steps, evaluating and printing as the tutorial does.

        At step 0, every ``evaluation_frequency`` steps and at the last step,
        before that step's update: print ``Step N: Train Loss X, Validation
        Loss Y`` (4 decimals). Returns None.
        """
        for step in range(self.config.total_training_steps):
            if step % self.config.evaluation_frequency == 0 or step == self.config.total_training_steps - 1:
                losses = self.evaluate()
                print(f"Step {step}: Train Loss {losses['train']:.4f}, Validation Loss {losses['val']:.4f}")
            self.train_step()
