"""Checkpoints (save, load, the latest complete run) and the loss-curve picture of a run."""

import contextlib
import dataclasses
import datetime
import json
import math
import os
import tempfile
from pathlib import Path

import torch

from kata_tools.chapters import REPO_ROOT
from kata_tools.i18n import _
from kata_tools.runner import command
from kata_tools.training.recipes import TrainingError

RUNS_DIR = REPO_ROOT / "runs"
CHECKPOINT_NAME = "checkpoint.pt"
CHECKPOINT_FORMAT = "nanogpt-katas checkpoint"
CHECKPOINT_VERSION = 1
MODEL_SETTINGS = (
    "input_sequence_length", "embedding_dim", "hidden_dim", "num_attention_heads", "layer_count", "dropout_rate",
)


# ---------------------------------------------------------------- checkpoints


def save_checkpoint(payload, path):
    """torch.save to a temporary file beside ``path``, then rename it into place: never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            torch.save(payload, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path


def checkpoint_payload(model, vocabulary, recipe, config, package, step, losses, interrupted=False):
    """What checkpoint.pt holds. Tensors are stored on the CPU, so a checkpoint loads on any device."""
    return {
        "format": CHECKPOINT_FORMAT,
        "version": CHECKPOINT_VERSION,
        "model_state": {name: value.detach().cpu() for name, value in model.state_dict().items()},
        "parameter_names": [name for name, _ in model.named_parameters()],
        "vocabulary": vocabulary,
        "config": {key: value for key, value in vars(config).items()},
        "recipe": dataclasses.asdict(recipe),
        "implementation": package,
        "step": step,
        "interrupted": bool(interrupted),
        "losses": losses,
        "saved_at": datetime.datetime.now().isoformat(timespec="seconds"),
    }


def load_checkpoint(path):
    """The checkpoint dictionary at ``path``; a TrainingError for a missing, foreign or damaged file."""
    path = Path(path)
    if not path.is_file():
        raise TrainingError(_("there is no checkpoint at {path}: run {command} first").format(
            path=path, command=command("train")))
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # unpickling raises many kinds
        raise TrainingError(_("{path} is not a readable checkpoint ({error_type}: {error})").format(
                                path=path, error_type=type(error).__name__, error=error)) from None
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise TrainingError(_("{path} was not written by {command}").format(path=path, command=command("train")))
    if payload.get("version") != CHECKPOINT_VERSION:
        raise TrainingError(_("{path} has checkpoint version {version}, this tool reads {checkpoint_version}: "
                              "run {command} again").format(
                                path=path, version=payload.get("version"), checkpoint_version=CHECKPOINT_VERSION,
                                command=command("train")))
    return payload


INTERRUPTED_SUFFIX = "-interrupted"


def run_was_interrupted(folder):
    """True for a run stopped with Ctrl-C (its folder name ends in -interrupted, or its config.json says so)."""
    folder = Path(folder)
    if folder.name.endswith(INTERRUPTED_SUFFIX):
        return True
    try:
        return bool(json.loads((folder / "config.json").read_text(encoding="utf-8")).get("interrupted"))
    except (OSError, ValueError, AttributeError):
        return False


def latest_checkpoint(runs_dir=RUNS_DIR):
    """The checkpoint of the newest run under ``runs_dir`` that trained all its steps, else the newest; or None.

    An interrupted run (Ctrl-C) is used only when there is no complete one:
    pass ``--checkpoint`` (``make generate CHECKPOINT=...``) to pick it.
    """
    runs_dir = Path(runs_dir)
    if not runs_dir.is_dir():
        return None
    candidates = sorted(
        (path for path in runs_dir.glob(f"*/{CHECKPOINT_NAME}") if not path.parent.name.startswith(".")),
        key=lambda path: path.parent.name.removesuffix(INTERRUPTED_SUFFIX),
    )
    complete = [path for path in candidates if not run_was_interrupted(path.parent)]
    return (complete or candidates)[-1] if candidates else None


# ---------------------------------------------------------------- the loss-curve picture

LOSS_CURVE_FILES = ("loss_curve.png", "loss_curve.svg")


def write_loss_curve(folder, step_losses, evaluations, title):
    """Draw the loss curve with matplotlib into ``folder``: loss_curve.png and loss_curve.svg.

    Per-step training loss (faint), evaluated train and validation loss (bold), against the step.
    Drawn off-screen (the Agg canvas, no window, no display needed); the SVG keeps its text as text.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 4.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    steps = [step + 1 for step, loss in enumerate(step_losses) if math.isfinite(loss)]
    axes.plot(steps, [loss for loss in step_losses if math.isfinite(loss)], color="tab:blue", linewidth=1,
              alpha=0.35)
    evaluated = [record["step"] for record in evaluations]
    axes.plot(evaluated, [record["train"] for record in evaluations], color="tab:blue", linewidth=2.5,
              label="train loss (evaluated; faint: every step)")
    axes.plot(evaluated, [record["val"] for record in evaluations], color="tab:red", linewidth=2.5,
              label="validation loss")
    axes.set(title=title, xlabel="step", ylabel="cross-entropy loss")
    axes.grid(color="#ddd")
    axes.legend(loc="upper right")
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "nanogpt-katas"}):
        for name in LOSS_CURVE_FILES:
            figure.savefig(Path(folder) / name, metadata={"Date": None} if name.endswith(".svg") else None)


