"""Training recipes (fast, tutorial, tiny) and the device to train on (auto, cpu, cuda, mps)."""

import dataclasses
import math
from dataclasses import dataclass
from types import SimpleNamespace

import torch

from kata_tools.i18n import _


class TrainingError(Exception):
    """A problem to report in one line, without a traceback (exit status 1)."""


# ---------------------------------------------------------------- recipes


@dataclass(frozen=True)
class Recipe:
    """Everything that decides a training run, besides the code.

    ``learning_rate`` is the peak. With ``final_learning_rate`` set, the rate
    climbs linearly from 0 over ``warmup_steps``, then follows half a cosine
    down to ``final_learning_rate`` at the last step. Without it the rate is
    constant (the tutorial's way).
    """

    name: str
    summary: str
    batch_size: int
    input_sequence_length: int
    embedding_dim: int
    hidden_dim: int
    num_attention_heads: int
    layer_count: int
    dropout_rate: float
    learning_rate: float
    total_training_steps: int
    warmup_steps: int = 0
    final_learning_rate: float | None = None
    evaluation_frequency: int = 100
    evaluation_loops: int = 20
    random_seed_value: int = 1337

    def with_changes(self, **changes):
        return dataclasses.replace(self, **{key: value for key, value in changes.items() if value is not None})

    def config(self, device_type="cpu"):
        """The curriculum's config object: every attribute the chapters read."""
        return SimpleNamespace(
            batch_size=self.batch_size,
            input_sequence_length=self.input_sequence_length,
            embedding_dim=self.embedding_dim,
            hidden_dim=self.hidden_dim,
            num_attention_heads=self.num_attention_heads,
            layer_count=self.layer_count,
            dropout_rate=self.dropout_rate,
            learning_rate=self.learning_rate,
            total_training_steps=self.total_training_steps,
            evaluation_frequency=self.evaluation_frequency,
            evaluation_loops=self.evaluation_loops,
            device_type=device_type,
            random_seed_value=self.random_seed_value,
        )

    def learning_rate_at(self, step):
        """The learning rate for optimisation step ``step`` (0-based)."""
        if self.final_learning_rate is None:
            return self.learning_rate
        if step < self.warmup_steps:
            return self.learning_rate * (step + 1) / self.warmup_steps
        decay_steps = max(1, self.total_training_steps - self.warmup_steps - 1)
        progress = min(1.0, (step - self.warmup_steps) / decay_steps)
        cosine = 0.5 * (1 + math.cos(math.pi * progress))
        return self.final_learning_rate + (self.learning_rate - self.final_learning_rate) * cosine

    def describe(self):
        schedule = (
            _("lr {learning_rate:g} constant").format(learning_rate=self.learning_rate)
            if self.final_learning_rate is None
            else _("lr {learning_rate:g}, {warmup_steps} warm-up steps, cosine to {final_learning_rate:g}").format(
                     learning_rate=self.learning_rate,
                     warmup_steps=self.warmup_steps,
                     final_learning_rate=self.final_learning_rate)
        )
        return (
            _("batch {batch_size}, block {input_sequence_length}, embedding {embedding_dim}, {num_attention_heads} "
              "heads, {layer_count} layers, hidden {hidden_dim}, dropout {dropout_rate:g}, {schedule}, "
              "{total_training_steps} steps").format(
                batch_size=self.batch_size,
                input_sequence_length=self.input_sequence_length,
                embedding_dim=self.embedding_dim,
                num_attention_heads=self.num_attention_heads,
                layer_count=self.layer_count,
                hidden_dim=self.hidden_dim,
                dropout_rate=self.dropout_rate,
                schedule=schedule,
                total_training_steps=self.total_training_steps)
        )


RECIPES = {
    "fast": Recipe(
        name="fast",
        summary=_("the default: the tutorial's model, to a better loss in a quarter of its time"),
        batch_size=64,
        input_sequence_length=32,
        embedding_dim=64,
        hidden_dim=256,
        num_attention_heads=4,
        layer_count=4,
        dropout_rate=0.0,
        learning_rate=1e-2,
        total_training_steps=800,
        warmup_steps=50,
        final_learning_rate=1e-3,
        evaluation_frequency=100,
        evaluation_loops=10,
    ),
    "tutorial": Recipe(
        name="tutorial",
        summary=_("the tutorial's chapter-12 settings"),
        batch_size=16,
        input_sequence_length=32,
        embedding_dim=64,
        hidden_dim=256,
        num_attention_heads=4,
        layer_count=4,
        dropout_rate=0.1,
        learning_rate=1e-3,
        total_training_steps=5000,
        evaluation_frequency=500,
        evaluation_loops=50,
    ),
    "tiny": Recipe(
        name="tiny",
        summary=_("seconds, for trying the tools (the text stays gibberish)"),
        batch_size=16,
        input_sequence_length=16,
        embedding_dim=16,
        hidden_dim=32,
        num_attention_heads=2,
        layer_count=1,
        dropout_rate=0.0,
        learning_rate=1e-2,
        total_training_steps=50,
        warmup_steps=5,
        final_learning_rate=1e-3,
        evaluation_frequency=25,
        evaluation_loops=2,
    ),
}
DEFAULT_RECIPE = "fast"


# ---------------------------------------------------------------- devices
DEVICES = ("auto", "cpu", "cuda", "mps")


def _mps_available():
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def choose_device(name="auto"):
    """"cuda", "mps" or "cpu" for ``DEVICE=auto|cpu|cuda|mps``; auto: cuda, then mps, then cpu.

    Raises TrainingError for a device this machine's torch cannot use.
    """
    name = (name or "auto").strip().lower()
    if name not in DEVICES:
        raise TrainingError(_("DEVICE={name} is not a device: use one of {devices}").format(
                                name=name, devices=', '.join(DEVICES)))
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "mps" if _mps_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise TrainingError(_("DEVICE=cuda, but this torch ({version}) sees no CUDA GPU: use DEVICE=auto or "
                              "DEVICE=cpu").format(version=torch.__version__))
    if name == "mps" and not _mps_available():
        raise TrainingError(_("DEVICE=mps, but this torch sees no Apple GPU (MPS): use DEVICE=auto or DEVICE=cpu"))
    return name


def describe_device(device):
    """"cuda (NVIDIA H200)" or "cpu (8 torch threads)": the line the tools print."""
    if device == "cuda":
        return f"cuda ({torch.cuda.get_device_name(0)})"
    if device == "cpu":
        return _("cpu ({threads} torch threads)").format(threads=torch.get_num_threads())
    return device


