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

from kata_tools.i18n import _, t
from kata_tools.implementation import ENVIRONMENT_VARIABLE
from kata_tools.runner import command
from kata_tools.training.checkpoints import (  # noqa: F401  (re-exported: make generate and the checks use them)
    CHECKPOINT_FORMAT,
    CHECKPOINT_NAME,
    CHECKPOINT_VERSION,
    INTERRUPTED_SUFFIX,
    LOSS_CURVE_FILES,
    MODEL_SETTINGS,
    RUNS_DIR,
    checkpoint_payload,
    latest_checkpoint,
    load_checkpoint,
    run_was_interrupted,
    save_checkpoint,
    write_loss_curve,
)
from kata_tools.training.learner_code import (  # noqa: F401
    TRAINING_NEEDS,
    chapters_training_needs,
    first_unwritten_chapter,
    load_curriculum,
    stub_hint,
)
from kata_tools.training.recipes import (  # noqa: F401
    DEFAULT_RECIPE,
    DEVICES,
    RECIPES,
    Recipe,
    TrainingError,
    choose_device,
    describe_device,
)

FINAL_EVALUATION_LOOPS = 50


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
        ("generate", lambda: write_sample(session, 2),
         _("does its loop run exactly max_new_tokens times? {command}").format(command=command("chapter11"))),
        ("Trainer.train_step", session.trainer.train_step, command("chapter12")),
        ("Trainer.evaluate", session.trainer.evaluate,
         _("does its loop run exactly evaluation_loops times? {command}").format(command=command("chapter12"))),
    )
    try:
        config.evaluation_loops = 1
        for name, run, advice in steps:
            with time_limit(seconds, _("{name} did not return within {seconds:g} s while rehearsing: {advice}").format(
                                         name=name, seconds=seconds, advice=advice)):
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
               dynamic_ncols=True, mininterval=0.25, desc=_("training"))

    def log_evaluation():
        record = evaluations[-1]
        bar.write(_("step {step:>5}: train loss {train:.4f}, val loss {val:.4f}  ({training_seconds:.1f} s of "
                    "training)").format(step=record["step"], train=record["train"], val=record["val"],
                                        training_seconds=training_seconds), file=stream)

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
                    _("the training loss became {loss} at step {step}: the learning rate may be too high, or a "
                      "chapter computes something unstable (run {command})").format(
                        loss=loss, step=step + 1, command=command("chapter12"))
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
                _("loss {loss:.3f}  val {val:.3f}  lr {learning_rate:.1e}  {speed:,.0f} tok/s").format(
                    loss=loss, val=evaluations[-1]["val"], learning_rate=learning_rate,
                    speed=tokens_per_step * done / max(training_seconds, 1e-9)),
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
                f"after {steps_done} steps"  # drawn in the plot, whose font may lack Chinese and Japanese
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
        raise TrainingError(_("there is no text file at {path}").format(path=path))
    content, changes = normalised(path.read_bytes())  # a byte-order mark is not a character of the text
    if changes:
        print(_("{path}: read without its {changes}").format(path=_relative(path), changes=" and ".join(changes)),
              file=sys.stderr)
    try:
        text = decode(content, _relative(path))
    except CorpusError as error:
        raise TrainingError(str(error)) from None
    if len(set(text)) < 2:
        raise TrainingError(_("{path} has {count} distinct character(s): there is nothing to learn").format(
                                path=_relative(path), count=len(set(text))))
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
    print(t("train.saved", folder=_relative(folder), command=command("generate", prompt="ROMEO:")), file=stream)
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
                        help=_("the settings (default {default_recipe}): ").format(default_recipe=DEFAULT_RECIPE)
                        + "; ".join(f"{name}: {recipe.summary}" for name, recipe in RECIPES.items()))
    parser.add_argument("--steps", type=int, help=_("total_training_steps (the schedule is stretched to fit)"))
    parser.add_argument("--learning-rate", type=float, help=_("peak learning rate"))
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--evaluation-frequency", type=int)
    parser.add_argument("--evaluation-loops", type=int)
    parser.add_argument("--seed", type=int, help="random_seed_value (default 1337)")
    parser.add_argument("--impl", help=_("package to train (default: ${environment_variable}, else katas)").format(
                                           environment_variable=ENVIRONMENT_VARIABLE))
    parser.add_argument("--runs-dir", type=Path, default=RUNS_DIR, help=_("where run folders go (default runs/)"))
    parser.add_argument("--corpus", type=Path, help=_("train on this text file instead of data/input.txt"))
    parser.add_argument("--sample-length", type=int, default=500, help=_("characters of text to write at the end"))
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--no-progress", action="store_true", help=_("no progress bar"))
    parser.add_argument("--device", default="auto", help=_("auto (cuda, then mps, then cpu), cpu, cuda or mps"))
    args = parser.parse_args(argv)

    recipe = RECIPES[args.recipe].with_changes(
        total_training_steps=args.steps, learning_rate=args.learning_rate, batch_size=args.batch_size,
        evaluation_frequency=args.evaluation_frequency, evaluation_loops=args.evaluation_loops,
        random_seed_value=args.seed,
    )
    if recipe.final_learning_rate is not None and args.steps is not None:
        recipe = recipe.with_changes(warmup_steps=min(recipe.warmup_steps, max(1, recipe.total_training_steps // 10)))
    if recipe.total_training_steps < 1:
        parser.error(_("--steps must be at least 1"))
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        train(recipe, package=args.impl, runs_dir=args.runs_dir, corpus=args.corpus,
              sample_length=args.sample_length, progress=not args.no_progress, device=args.device)
    except NotImplementedError as error:
        print(t("train.needs_chapters", hint=stub_hint(error, args.impl), command=command("train")), file=sys.stderr)
        return 2
    except TrainingError as error:
        print(t("train.error", error=error, command=command("train")), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n" + t("train.abandoned", command=command("train")), file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("\n" + _("{train} stopped on the error above; nothing was written. {tests} runs the tests of "
                       "every chapter, which usually name the problem").format(
                           train=command("train"), tests=command("chapter12")), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    from kata_tools.learner.cli import run

    sys.exit(run(main))
