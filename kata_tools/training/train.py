"""make train: train your GPT on tiny Shakespeare, and keep the run.

    make train                          your katas (every chapter written)
    KATA_IMPL=reference make train      the solved curriculum
    make train STEPS=300                a shorter run
    make train RECIPE=tutorial          the tutorial's own settings (about 2 minutes, more on a slow CPU)
    python -m kata_tools.training.train --help   every option

The model, the DataLoader and ``Trainer.train_step`` / ``Trainer.evaluate``
are yours: the package named by ``KATA_IMPL`` (``katas`` by default). This
script only drives them. It picks the settings (a *recipe*), sets the
learning rate of every step in ``optimizer.param_groups`` (a short warm-up,
then a cosine decay), shows a progress bar, evaluates, and writes the run
into a folder of its own:

    runs/2026-11-25T21-03-12/
        config.json       recipe, model config, implementation, timings, final losses
        history.json      the loss and learning rate of every step, and every evaluation
        loss_curve.png    training and validation loss against steps (and loss_curve.svg)
        sample.txt        text the trained model wrote
        checkpoint.pt     weights, vocabulary and config: what ``make generate`` loads

The folder appears only when the run is complete: everything is written into
a hidden staging folder first and renamed into place at the end, and the
checkpoint itself is written to a temporary file and renamed (``os.replace``),
so an interrupted save never leaves half a file. Ctrl-C during training stops
early and still saves what the model has learnt so far.
"""

import argparse
import contextlib
import copy
import dataclasses
import datetime
import json
import math
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import torch

from kata_tools.chapters import REPO_ROOT, defining
from kata_tools.i18n import t
from kata_tools.implementation import ENVIRONMENT_VARIABLE, ImplementationNotFound, import_chapter, package_name
from kata_tools.stubs import parse_stub

RUNS_DIR = REPO_ROOT / "runs"
CHECKPOINT_NAME = "checkpoint.pt"
CHECKPOINT_FORMAT = "nanogpt-katas checkpoint"
CHECKPOINT_VERSION = 1
FINAL_EVALUATION_LOOPS = 50
MODEL_SETTINGS = (
    "input_sequence_length", "embedding_dim", "hidden_dim", "num_attention_heads", "layer_count", "dropout_rate",
)


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
            f"lr {self.learning_rate:g} constant"
            if self.final_learning_rate is None
            else f"lr {self.learning_rate:g}, {self.warmup_steps} warm-up steps, cosine to {self.final_learning_rate:g}"
        )
        return (
            f"batch {self.batch_size}, block {self.input_sequence_length}, embedding {self.embedding_dim}, "
            f"{self.num_attention_heads} heads, {self.layer_count} layers, hidden {self.hidden_dim}, "
            f"dropout {self.dropout_rate:g}, {schedule}, {self.total_training_steps} steps"
        )


RECIPES = {
    "fast": Recipe(
        name="fast",
        summary="the default: the tutorial's model, to a better loss in a quarter of its time",
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
        summary="the tutorial's chapter-12 settings",
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
        summary="seconds, for trying the tools (the text stays gibberish)",
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
        raise TrainingError(f"DEVICE={name} is not a device: use one of {', '.join(DEVICES)}")
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "mps" if _mps_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise TrainingError(f"DEVICE=cuda, but this torch ({torch.__version__}) sees no CUDA GPU: "
                            "use DEVICE=auto or DEVICE=cpu")
    if name == "mps" and not _mps_available():
        raise TrainingError("DEVICE=mps, but this torch sees no Apple GPU (MPS): use DEVICE=auto or DEVICE=cpu")
    return name


def describe_device(device):
    """"cuda (NVIDIA H200)" or "cpu (8 torch threads)": the line the tools print."""
    if device == "cuda":
        return f"cuda ({torch.cuda.get_device_name(0)})"
    if device == "cpu":
        return f"cpu ({torch.get_num_threads()} torch threads)"
    return device


# ---------------------------------------------------------------- the learner's code


def load_curriculum(package=None):
    """The DataLoader, BigramLanguageModel and Trainer classes of ``package`` (default: KATA_IMPL)."""
    package = package or package_name()
    previous = os.environ.get(ENVIRONMENT_VARIABLE)
    os.environ[ENVIRONMENT_VARIABLE] = package
    try:
        classes = {}
        for name in ("DataLoader", "BigramLanguageModel", "Trainer"):
            module = defining(name).module  # curriculum.toml says which chapter builds it
            try:
                classes[name] = getattr(import_chapter(module), name)
            except ImplementationNotFound as error:
                raise TrainingError(str(error)) from None
            except AttributeError:
                raise TrainingError(f"{package}/{module}.py defines no {name}: check the spelling") from None
    finally:
        if previous is None:
            os.environ.pop(ENVIRONMENT_VARIABLE, None)
        else:
            os.environ[ENVIRONMENT_VARIABLE] = previous
    return SimpleNamespace(package=package, **classes)


TRAINING_NEEDS = ("chapter01_data_loader", "chapter11_bigram_language_model", "chapter12_trainer")


def chapters_training_needs():
    """The chapters whose code ``make train`` runs: 01's DataLoader, 12's Trainer, 11's model and what it imports."""
    from kata_tools.chapters import CHAPTERS
    from kata_tools.learner.progress import dependencies

    needed = {}
    for entry in CHAPTERS:
        if entry.module in TRAINING_NEEDS:  # the reference's imports: a learner's may not be written yet
            for dependency in dependencies(entry, "reference"):
                needed[dependency.number] = dependency
    return [needed[number] for number in sorted(needed)]


def first_unwritten_chapter(package=None):
    """The first chapter training needs whose kata is still the untouched stubs, or None."""
    from kata_tools.learner.progress import is_untouched

    try:
        return next((entry for entry in chapters_training_needs() if is_untouched(entry, package)), None)
    except Exception:  # a guess for the message only
        return None


def stub_hint(error, package=None):
    """What to write first, for a stub's NotImplementedError: the first unwritten chapter training needs."""
    first = first_unwritten_chapter(package)
    found = parse_stub(error, anywhere=True)
    if first is not None and (found is None or int(found[0]) >= first.number):
        needed = chapters_training_needs()
        what = f": write {found[1]}" if found and found[0] == first.label else ""
        return (f"training runs chapters {needed[0].label}-{needed[-1].label}; the first of them not written yet "
                f"is chapter {first.label} {first.title}{what} — run make chapter{first.label}")
    if found:
        label, what = found
        return f"chapter {label}: write {what} — run make chapter{label}"
    return f"a function is not written yet ({error or 'NotImplementedError'}) — make chapter12 shows which"


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
        raise TrainingError(f"there is no checkpoint at {path}: run make train first")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # unpickling raises many kinds
        raise TrainingError(f"{path} is not a readable checkpoint ({type(error).__name__}: {error})") from None
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise TrainingError(f"{path} was not written by make train")
    if payload.get("version") != CHECKPOINT_VERSION:
        raise TrainingError(f"{path} has checkpoint version {payload.get('version')}, this tool reads "
                            f"{CHECKPOINT_VERSION}: run make train again")
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


# ---------------------------------------------------------------- training


def set_learning_rate(optimizer, learning_rate):
    for group in optimizer.param_groups:
        group["lr"] = learning_rate


@dataclass
class Session:
    """One model being trained, with everything that trains it."""

    recipe: Recipe
    config: SimpleNamespace
    curriculum: SimpleNamespace
    data_loader: object
    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    trainer: object

    @property
    def vocabulary(self):
        return "".join(self.data_loader.itoc[index] for index in range(self.data_loader.vocab_size))


def start_session(recipe, text, curriculum, device="cpu"):
    """Seed, then build the learner's DataLoader, model (on ``device``), AdamW optimiser and Trainer."""
    torch.manual_seed(recipe.random_seed_value)
    config = recipe.config(device_type=device)
    data_loader = curriculum.DataLoader(text, config)
    model = curriculum.BigramLanguageModel(data_loader.vocab_size, config).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=recipe.learning_rate_at(0))
    trainer = curriculum.Trainer(model, optimizer, data_loader, config)
    return Session(recipe, config, curriculum, data_loader, model, optimizer, trainer)


REHEARSAL_SECONDS = 60


@contextlib.contextmanager
def time_limit(seconds, message):
    """Raise TrainingError(message) when the block runs longer than ``seconds`` (Unix, main thread; else no limit)."""
    import signal
    import threading

    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise TrainingError(message)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def rehearse(session, seconds=REHEARSAL_SECONDS, stream=sys.stderr):
    """Run generate, one train_step and one evaluation loop, then undo them, within ``seconds``.

    A stub, or a loop that never ends, stops the run now, not after the training.
    """
    print(t("train.rehearsing"), file=stream, flush=True)
    initial_state = copy.deepcopy(session.model.state_dict())
    config = session.config
    usual_loops = config.evaluation_loops
    steps = (
        ("generate", lambda: write_sample(session, 2), "does its loop run exactly max_new_tokens times? "
         "make chapter11"),
        ("Trainer.train_step", session.trainer.train_step, "make chapter12"),
        ("Trainer.evaluate", session.trainer.evaluate, "does its loop run exactly evaluation_loops times? "
         "make chapter12"),
    )
    try:
        config.evaluation_loops = 1
        for name, run, advice in steps:
            with time_limit(seconds, f"{name} did not return within {seconds:g} s while rehearsing: {advice}"):
                run()
    finally:
        config.evaluation_loops = usual_loops
    session.model.load_state_dict(initial_state)
    session.optimizer = torch.optim.AdamW(session.model.parameters(), lr=session.recipe.learning_rate_at(0))
    session.trainer = session.curriculum.Trainer(session.model, session.optimizer, session.data_loader, session.config)
    torch.manual_seed(session.recipe.random_seed_value)


def default_prompt(vocabulary):
    """A line break, as the tutorial starts its samples, or the vocabulary's first character when it has none."""
    return "\n" if "\n" in vocabulary else vocabulary[0]


def encoded(data_loader, prompt, device="cpu"):
    """(1, T) LongTensor of the prompt's ids, whatever the learner's encode returns (a list or a tensor)."""
    return torch.as_tensor(data_loader.encode(prompt), dtype=torch.long).reshape(1, -1).to(device)


def write_sample(session, length, prompt=None):
    """Text from the model: the prompt, then ``length`` sampled characters."""
    model = session.model
    prompt = prompt or default_prompt(session.vocabulary)
    was_training = model.training
    model.eval()
    try:
        output = model.generate(encoded(session.data_loader, prompt, session.config.device_type), length)
    finally:
        model.train(was_training)
    return session.data_loader.decode([int(index) for index in output[0].tolist()])  # a list of ints


def _evaluate(session):
    losses = session.trainer.evaluate()
    return {split: float(losses[split]) for split in ("train", "val")}


def _final_evaluation(session, loops=FINAL_EVALUATION_LOOPS):
    """The last evaluation averages more batches: it is the number the run is remembered by."""
    config = session.config
    usual = config.evaluation_loops
    config.evaluation_loops = max(usual, loops)
    try:
        return _evaluate(session)
    finally:
        config.evaluation_loops = usual


def run_training(session, progress=True, stream=sys.stderr):
    """Train ``session.recipe.total_training_steps`` steps with the learner's Trainer.train_step.

    Returns a dict: step_losses, learning_rates, evaluations, training_seconds, total_seconds, interrupted.
    Ctrl-C stops early; what was learnt so far is kept.
    """
    from tqdm import tqdm

    recipe, trainer = session.recipe, session.trainer
    tokens_per_step = recipe.batch_size * recipe.input_sequence_length
    step_losses, learning_rates = [], []
    evaluations = [{"step": 0, **_evaluate(session)}]
    training_seconds = 0.0
    started = time.perf_counter()
    interrupted = False
    # disable=None: the bar only draws on a terminal; the evaluation lines are written either way.
    bar = tqdm(total=recipe.total_training_steps, unit="step", disable=None if progress else True, file=stream,
               dynamic_ncols=True, mininterval=0.25, desc="training")

    def log_evaluation():
        record = evaluations[-1]
        bar.write(f"step {record['step']:>5}: train loss {record['train']:.4f}, val loss {record['val']:.4f}  "
                  f"({training_seconds:.1f} s of training)", file=stream)

    log_evaluation()
    try:
        for step in range(recipe.total_training_steps):
            learning_rate = recipe.learning_rate_at(step)
            set_learning_rate(session.optimizer, learning_rate)
            step_started = time.perf_counter()
            loss = float(trainer.train_step())
            training_seconds += time.perf_counter() - step_started
            step_losses.append(loss)
            learning_rates.append(learning_rate)
            if not math.isfinite(loss):
                raise TrainingError(
                    f"the training loss became {loss} at step {step + 1}: the learning rate may be too high, "
                    "or a chapter computes something unstable (run make chapter12)"
                )
            done = step + 1
            if done == recipe.total_training_steps:
                evaluations.append({"step": done, **_final_evaluation(session)})
                log_evaluation()
            elif done % recipe.evaluation_frequency == 0:
                evaluations.append({"step": done, **_evaluate(session)})
                log_evaluation()
            bar.update(1)
            bar.set_postfix_str(
                f"loss {loss:.3f}  val {evaluations[-1]['val']:.3f}  lr {learning_rate:.1e}  "
                f"{tokens_per_step * done / max(training_seconds, 1e-9):,.0f} tok/s",
                refresh=False,
            )
    except KeyboardInterrupt:
        interrupted = True
        bar.close()  # first: a bar redrawn under the message would show a stale step
        print("\n" + t("train.interrupted", done=len(step_losses), total=recipe.total_training_steps), file=stream,
              flush=True)
        if step_losses and evaluations[-1]["step"] != len(step_losses):
            evaluations.append({"step": len(step_losses), **_final_evaluation(session)})
            log_evaluation()
    finally:
        bar.close()
    return {
        "step_losses": step_losses,
        "learning_rates": learning_rates,
        "evaluations": evaluations,
        "training_seconds": training_seconds,
        "total_seconds": time.perf_counter() - started,
        "interrupted": interrupted,
    }


def new_run_name(runs_dir):
    stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    name, suffix = stamp, 2
    while (runs_dir / name).exists():
        name, suffix = f"{stamp}-{suffix}", suffix + 1
    return name


def write_run(session, result, sample, runs_dir=RUNS_DIR):
    """Write the run folder via a hidden staging folder; return the folder's path."""
    runs_dir = Path(runs_dir)
    runs_dir.mkdir(parents=True, exist_ok=True)
    name = new_run_name(runs_dir) + (INTERRUPTED_SUFFIX if result["interrupted"] else "")
    staging = Path(tempfile.mkdtemp(dir=runs_dir, prefix=f".{name}."))
    try:
        steps_done = len(result["step_losses"])
        final = result["evaluations"][-1]
        summary = {
            "implementation": session.curriculum.package,
            "recipe": dataclasses.asdict(session.recipe),
            "config": vars(session.config),
            "steps_done": steps_done,
            "interrupted": result["interrupted"],
            "final_losses": {"train": final["train"], "val": final["val"]},
            "training_seconds": round(result["training_seconds"], 2),
            "total_seconds": round(result["total_seconds"], 2),
            "torch_threads": torch.get_num_threads(),
            "torch_version": torch.__version__,
            "parameters": sum(parameter.numel() for parameter in session.model.parameters()),
        }
        (staging / "config.json").write_text(json.dumps(summary, indent=2) + "\n")
        history = {key: result[key] for key in ("evaluations", "step_losses", "learning_rates")}
        (staging / "history.json").write_text(json.dumps(history) + "\n")
        title = f"{session.curriculum.package}, recipe {session.recipe.name}: val loss {final['val']:.3f} " \
                f"after {steps_done} steps"
        write_loss_curve(staging, result["step_losses"], result["evaluations"], title)
        (staging / "sample.txt").write_text(sample)
        save_checkpoint(
            checkpoint_payload(session.model, session.vocabulary, session.recipe, session.config,
                               session.curriculum.package, steps_done, summary["final_losses"],
                               result["interrupted"]),
            staging / CHECKPOINT_NAME,
        )
        final_folder = runs_dir / name
        os.replace(staging, final_folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final_folder


def read_corpus(path=None):
    """The text to train on: data/input.txt (verified) or any UTF-8 file."""
    if path is None:
        from data.tinyshakespeare import CorpusError, load_text

        try:
            return load_text()
        except CorpusError as error:
            raise TrainingError(str(error)) from None
    from data.tinyshakespeare import CorpusError, decode, normalised

    path = Path(path)
    if not path.is_file():
        raise TrainingError(f"there is no text file at {path}")
    content, changes = normalised(path.read_bytes())  # a byte-order mark is not a character of the text
    if changes:
        print(f"{_relative(path)}: read without its {' and '.join(changes)}", file=sys.stderr)
    try:
        text = decode(content, _relative(path))
    except CorpusError as error:
        raise TrainingError(str(error)) from None
    if len(set(text)) < 2:
        raise TrainingError(f"{_relative(path)} has {len(set(text))} distinct character(s): there is nothing to learn")
    return text


def train(recipe, package=None, runs_dir=RUNS_DIR, corpus=None, sample_length=500, progress=True,
          stream=sys.stderr, device="auto", rehearsal_seconds=REHEARSAL_SECONDS):
    """Train the implementation ``package`` with ``recipe`` on ``device``; write and return the run folder."""
    device = choose_device(device)
    curriculum = load_curriculum(package)
    text = read_corpus(corpus)
    print(t("train.header", package=curriculum.package, recipe=recipe.name, settings=recipe.describe()), file=stream)
    print(t("train.device", device=describe_device(device)), file=stream)
    session = start_session(recipe, text, curriculum, device)
    rehearse(session, rehearsal_seconds, stream)
    parameters = sum(parameter.numel() for parameter in session.model.parameters())
    print(t("train.model", parameters=f"{parameters:,}", vocabulary=session.data_loader.vocab_size,
            threads=torch.get_num_threads()), file=stream)
    result = run_training(session, progress=progress, stream=stream)
    sample = write_sample(session, sample_length)
    folder = write_run(session, result, sample, runs_dir)
    final = result["evaluations"][-1]
    print("\n" + t("train.final", val=f"{final['val']:.4f}", steps=len(result["step_losses"]),
                    training=f"{result['training_seconds']:.1f}", total=f"{result['total_seconds']:.1f}")
          + f"\n{sample}\n", file=stream)
    print(t("train.saved", folder=_relative(folder)), file=stream)
    return folder


def _relative(path):
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.training.train", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", choices=sorted(RECIPES), default=DEFAULT_RECIPE,
                        help=f"the settings (default {DEFAULT_RECIPE}): "
                        + "; ".join(f"{name}: {recipe.summary}" for name, recipe in RECIPES.items()))
    parser.add_argument("--steps", type=int, help="total_training_steps (the schedule is stretched to fit)")
    parser.add_argument("--learning-rate", type=float, help="peak learning rate")
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--evaluation-frequency", type=int)
    parser.add_argument("--evaluation-loops", type=int)
    parser.add_argument("--seed", type=int, help="random_seed_value (default 1337)")
    parser.add_argument("--impl", help=f"package to train (default: ${ENVIRONMENT_VARIABLE}, else katas)")
    parser.add_argument("--runs-dir", type=Path, default=RUNS_DIR, help="where run folders go (default runs/)")
    parser.add_argument("--corpus", type=Path, help="train on this text file instead of data/input.txt")
    parser.add_argument("--sample-length", type=int, default=500, help="characters of text to write at the end")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--device", default="auto", help="auto (cuda, then mps, then cpu), cpu, cuda or mps")
    args = parser.parse_args(argv)

    recipe = RECIPES[args.recipe].with_changes(
        total_training_steps=args.steps, learning_rate=args.learning_rate, batch_size=args.batch_size,
        evaluation_frequency=args.evaluation_frequency, evaluation_loops=args.evaluation_loops,
        random_seed_value=args.seed,
    )
    if recipe.final_learning_rate is not None and args.steps is not None:
        recipe = recipe.with_changes(warmup_steps=min(recipe.warmup_steps, max(1, recipe.total_training_steps // 10)))
    if recipe.total_training_steps < 1:
        parser.error("--steps must be at least 1")
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        train(recipe, package=args.impl, runs_dir=args.runs_dir, corpus=args.corpus,
              sample_length=args.sample_length, progress=not args.no_progress, device=args.device)
    except NotImplementedError as error:
        print(t("train.needs_chapters", hint=stub_hint(error, args.impl)), file=sys.stderr)
        return 2
    except TrainingError as error:
        print(t("train.error", error=error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n" + t("train.abandoned"), file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("\nmake train stopped on the error above; nothing was written. make chapter12 runs the tests "
              "of every chapter, which usually name the problem", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    from kata_tools.learner.cli import run

    sys.exit(run(main))
