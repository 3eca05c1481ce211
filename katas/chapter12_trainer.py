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

``train`` runs ``total_training_steps`` steps. Before the step's update, at
step 0, every ``evaluation_frequency`` steps and at the last step
(``total_training_steps - 1``), it evaluates and prints one line:

    Step 0: Train Loss 4.1743, Validation Loss 4.1752
    Step 100: Train Loss 2.6120, Validation Loss 2.6199
    ...

Tutorial: Everyone's nanoGPT, Chapter 12 "Trainer": Sections 1 (Class
Definition: the steps ``optimisation_step``, ``mean_loss``,
``should_evaluate``, ``format_report``) and 3 (Training and inference: the final ModelConfig, AdamW,
training, saving and generating; ``million_parameters``).
"""

import torch


def optimisation_step(model, optimizer, inputs, targets):
    """One training update on one batch; returns the batch's loss as a Python float.

    model:     returns (logits, loss) when called with (inputs, targets)
    optimizer: e.g. ``torch.optim.AdamW(model.parameters(), lr=...)``
    inputs, targets: LongTensor (B, T)

    Clear the old gradients (``zero_grad``: PyTorch adds new gradients to
    old ones), compute the loss, ``backward`` for every parameter's
    gradient, then ``step`` the optimiser. ``loss.item()`` gives the float.

    Tutorial: Chapter 12, Section 1 (Class Definition), ``train_step``.
    """
    raise NotImplementedError("chapter 12: write optimisation_step")


def mean_loss(losses):
    """The mean of a list of batch losses (floats), as a float.

    losses:  a non-empty list of floats, e.g. ``evaluation_loops`` batch losses
    returns: float, their average: one batch is noisy, the mean of many is not

    Tutorial: Chapter 12, Section 1 (Class Definition), ``evaluate``:
    ``losses.mean()`` over ``evaluation_loops`` batches of each split.
    """
    raise NotImplementedError("chapter 12: write mean_loss")


def should_evaluate(step, evaluation_frequency, total_training_steps):
    """Whether ``train`` evaluates (and prints a report) before the update of ``step``.

    step:                 0 .. total_training_steps - 1
    returns:              True at step 0, every ``evaluation_frequency`` steps,
                          and at the last step (total_training_steps - 1)

    Tutorial: Chapter 12, Section 1, ``step % evaluation_frequency == 0 or
    step == total_training_steps - 1``. With 5000 steps and frequency 100:
    steps 0, 100, ..., 4900 and 4999, 51 reports.
    """
    raise NotImplementedError("chapter 12: write should_evaluate")


def format_report(step, losses):
    """The line ``train`` prints: ``Step N: Train Loss X, Validation Loss Y`` (X, Y with 4 decimals).

    step:    int
    losses:  {"train": float, "val": float}, as ``Trainer.evaluate`` returns
    returns: str, e.g. ``Step 4999: Train Loss 1.7031, Validation Loss 1.9120``

    Tutorial: Chapter 12, Section 3 (Training and inference), the training log.
    """
    raise NotImplementedError("chapter 12: write format_report")


def million_parameters(model):
    """The number of the model's parameters in millions, as a float.

    model:   any nn.Module
    returns: float, sum of every parameter's element count / 1e6

    Tutorial: Chapter 12, Section 3 (Training and inference): the final
    ModelConfig's GPT over 65 characters prints ``0.209729 M parameters``.
    """
    raise NotImplementedError("chapter 12: write million_parameters")


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
        raise NotImplementedError("chapter 12: write Trainer.train_step")

    def evaluate(self):
        """Return {"train": mean loss, "val": mean loss} over evaluation_loops batches each.

        Runs in eval mode without gradients and leaves the model in training
        mode.
        """
        raise NotImplementedError("chapter 12: write Trainer.evaluate")

    def train(self):
        """Run ``total_training_steps`` train steps, evaluating and printing as the tutorial does.

        At step 0, every ``evaluation_frequency`` steps and at the last step,
        before that step's update: print ``Step N: Train Loss X, Validation
        Loss Y`` (4 decimals). Returns None.
        """
        raise NotImplementedError("chapter 12: write Trainer.train")
