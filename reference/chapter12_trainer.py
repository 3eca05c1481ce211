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
training, saving and generating: ``million_parameters``, ``checkpoint_state``,
``complete_prompt``).
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
    # BEGIN SOLUTION
    optimizer.zero_grad()
    _, loss = model(inputs, targets)
    loss.backward()
    optimizer.step()
    return loss.item()
    # END SOLUTION


def mean_loss(losses):
    """The mean of a list of batch losses (floats), as a float.

    losses:  a non-empty list of floats, e.g. ``evaluation_loops`` batch losses
    returns: float, their average: one batch is noisy, the mean of many is not

    Tutorial: Chapter 12, Section 1 (Class Definition), ``evaluate``:
    ``losses.mean()`` over ``evaluation_loops`` batches of each split.
    """
    # BEGIN SOLUTION
    return sum(losses) / len(losses)
    # END SOLUTION


def should_evaluate(step, evaluation_frequency, total_training_steps):
    """Whether ``train`` evaluates (and prints a report) before the update of ``step``.

    step:                 0 .. total_training_steps - 1
    returns:              True at step 0, every ``evaluation_frequency`` steps,
                          and at the last step (total_training_steps - 1)

    Tutorial: Chapter 12, Section 1, ``step % evaluation_frequency == 0 or
    step == total_training_steps - 1``. With 5000 steps and frequency 100:
    steps 0, 100, ..., 4900 and 4999, 51 reports.
    """
    # BEGIN SOLUTION
    return step % evaluation_frequency == 0 or step == total_training_steps - 1
    # END SOLUTION


def format_report(step, losses):
    """The line ``train`` prints: ``Step N: Train Loss X, Validation Loss Y`` (X, Y with 4 decimals).

    step:    int
    losses:  {"train": float, "val": float}, as ``Trainer.evaluate`` returns
    returns: str, e.g. ``Step 4999: Train Loss 1.7031, Validation Loss 1.9120``

    Tutorial: Chapter 12, Section 3 (Training and inference), the training log.
    """
    # BEGIN SOLUTION
    return f"Step {step}: Train Loss {losses['train']:.4f}, Validation Loss {losses['val']:.4f}"
    # END SOLUTION


def million_parameters(model):
    """The number of the model's parameters in millions, as a float.

    model:   any nn.Module
    returns: float, sum of every parameter's element count / 1e6

    Tutorial: Chapter 12, Section 3 (Training and inference): the final
    ModelConfig's GPT over 65 characters prints ``0.209729 M parameters``.
    """
    # BEGIN SOLUTION
    return sum(parameter.numel() for parameter in model.parameters()) / 1e6
    # END SOLUTION



def checkpoint_state(model, optimizer):
    """What the tutorial saves after training: both state dicts, under the tutorial's keys.

    model:     an nn.Module, optimizer: its optimiser (e.g. AdamW)
    returns:   {"model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict()}

    ``torch.save(checkpoint_state(model, optimizer), path)`` writes it; a new
    model and optimiser of the same shapes take it back with
    ``load_state_dict``, and training or generating goes on from there. The
    optimiser's state (AdamW's running averages) is saved too, so that
    training can resume exactly.

    Tutorial: Chapter 12, Section 3 (Training and inference):
    ``torch.save({'model_state_dict': ..., 'optimizer_state_dict': ...},
    "bigram_language_model.pth")``.
    """
    # BEGIN SOLUTION
    return {"model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict()}
    # END SOLUTION


def complete_prompt(model, data_loader, prompt, max_new_tokens):
    """Continue ``prompt`` with ``max_new_tokens`` generated characters; returns the whole text.

    model:          has ``generate(input_indices, max_new_tokens)`` (chapter 11)
    data_loader:    has ``encode(text)`` and ``decode(indices)`` (chapter 01)
    prompt:         str, e.g. "Let's he"
    max_new_tokens: how many characters to add
    returns:        str, the prompt followed by the new characters

    encode the prompt: a list of T ids -> a LongTensor (T,) on the model's
    device -> ``unsqueeze(0)``, a batch of one (1, T) -> ``generate`` gives
    (1, T + max_new_tokens) -> row 0 as a list of ints -> ``decode``.

    Tutorial: Chapter 12, Section 3: ``encoded_prompt`` prints [8] = [24, 43,
    58, 5, 57, 1, 46, 43], ``unsqueeze(0)`` makes it [1, 8], then
    ``loaded_model.generate(encoded_prompt_unsqueeze, max_new_tokens=1000)``
    and ``decode(generated_sequence[0].tolist())``.
    """
    # BEGIN SOLUTION
    device = next(model.parameters()).device
    encoded_prompt = torch.tensor(data_loader.encode(prompt), dtype=torch.long, device=device)  # (T,)
    generated = model.generate(encoded_prompt.unsqueeze(0), max_new_tokens)  # (1, T + max_new_tokens)
    return data_loader.decode(generated[0].tolist())
    # END SOLUTION

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
        input_batch, target_batch = self.data_loader.get_batch("train")
        self.optimizer.zero_grad()
        logits, loss = self.model(input_batch, target_batch)
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
                    input_batch, target_batch = self.data_loader.get_batch(split)
                    _, loss = self.model(input_batch, target_batch)
                    losses[loop] = loss.item()
                mean_losses[split] = losses.mean().item()
        self.model.train()
        return mean_losses
        # END SOLUTION

    def train(self):
        """Run ``total_training_steps`` train steps, evaluating and printing as the tutorial does.

        At step 0, every ``evaluation_frequency`` steps and at the last step,
        before that step's update: print ``Step N: Train Loss X, Validation
        Loss Y`` (4 decimals). Returns None.
        """
        # BEGIN SOLUTION
        for step in range(self.config.total_training_steps):
            if step % self.config.evaluation_frequency == 0 or step == self.config.total_training_steps - 1:
                losses = self.evaluate()
                print(f"Step {step}: Train Loss {losses['train']:.4f}, Validation Loss {losses['val']:.4f}")
            self.train_step()
        # END SOLUTION
