"""make bench: the default recipe against the tutorial's, side by side on this machine.

    make bench                          the reference implementation (KATA_IMPL=katas for your own)
    python -m kata_tools.training.bench --help

Both recipes train the same curriculum model code (DataLoader,
BigramLanguageModel, Trainer.train_step) one after the other in this
process, with torch's default number of threads. For each the bench
reports:

    time to 1.85    seconds of training until the validation loss is 1.85 or lower
    best in 60 s    the lowest validation loss measured within 60 seconds of training

Only training counts: the clock runs during ``train_step`` and stops while
the bench measures the validation loss. That measure is the mean
cross-entropy of the model (eval mode, no_grad) on a fixed set of 512
validation windows, the same start positions for both recipes, each window
as long as the recipe's block; it is taken every 4 seconds of training,
and every second once the loss is within 0.1 of the target.

The tutorial recipe keeps its constant learning rate past its 5000 steps
if it has not reached the target by then (up to --time-limit seconds).
The default recipe runs its own step count (its learning-rate schedule
ends there). The whole bench takes about four minutes on two cores.
"""

import argparse
import math
import sys
import time

import torch

from kata_tools.i18n import _
from kata_tools.implementation import ENVIRONMENT_VARIABLE
from kata_tools.runner import command
from kata_tools.training.train import (
    DEFAULT_RECIPE,
    RECIPES,
    TrainingError,
    load_curriculum,
    read_corpus,
    set_learning_rate,
    start_session,
    stub_hint,
)

TARGET = 1.85
BEST_WITHIN_SECONDS = 60.0
EVALUATION_WINDOWS = 512


def validation_windows(val_data, length, count=EVALUATION_WINDOWS, seed=0):
    generator = torch.Generator().manual_seed(seed)
    starts = torch.randint(len(val_data) - length - 1, (count,), generator=generator)
    inputs = torch.stack([val_data[start : start + length] for start in starts])
    targets = torch.stack([val_data[start + 1 : start + length + 1] for start in starts])
    return inputs, targets


def validation_loss(model, windows, chunk=128):
    inputs, targets = windows
    model.eval()
    with torch.no_grad():
        losses = [model(inputs[i : i + chunk], targets[i : i + chunk])[1].item() for i in range(0, len(inputs), chunk)]
    model.train()
    return sum(losses) / len(losses)


def race(recipe, curriculum, text, time_limit, keep_going=False, stream=sys.stderr):
    """Train ``recipe`` until its last step (or, with keep_going, until the target), at most ``time_limit`` s."""
    session = start_session(recipe, text, curriculum)
    windows = validation_windows(session.data_loader.val_data, recipe.input_sequence_length)
    evaluations = [(0, 0.0, validation_loss(session.model, windows))]
    training_seconds = evaluation_seconds = 0.0
    last_evaluation = last_report = 0.0
    step = 0
    while training_seconds < time_limit:
        if step >= recipe.total_training_steps and not (keep_going and evaluations[-1][2] > TARGET):
            break
        set_learning_rate(session.optimizer, recipe.learning_rate_at(min(step, recipe.total_training_steps - 1)))
        started = time.perf_counter()
        loss = session.trainer.train_step()
        training_seconds += time.perf_counter() - started
        step += 1
        if not math.isfinite(loss):
            raise TrainingError(_("recipe {recipe}: the training loss became {loss} at step {step}").format(
                recipe=recipe.name, loss=loss, step=step))
        interval = 1.0 if evaluations[-1][2] < TARGET + 0.1 else 4.0
        if training_seconds - last_evaluation >= interval or step == recipe.total_training_steps:
            started = time.perf_counter()
            evaluations.append((step, training_seconds, validation_loss(session.model, windows)))
            evaluation_seconds += time.perf_counter() - started
            last_evaluation = training_seconds
            if training_seconds - last_report >= 15:
                last_report = training_seconds
                print(f"  {recipe.name}: {training_seconds:5.1f} s, step {step}, val loss {evaluations[-1][2]:.3f}",
                      file=stream, flush=True)
    if evaluations[-1][0] != step:
        evaluations.append((step, training_seconds, validation_loss(session.model, windows)))
    crossing = next(((s, seconds) for s, seconds, loss in evaluations if loss <= TARGET), None)
    within = [loss for _, seconds, loss in evaluations if seconds <= BEST_WITHIN_SECONDS]
    return {
        "recipe": recipe.name,
        "steps": step,
        "training_seconds": training_seconds,
        "evaluation_seconds": evaluation_seconds,
        "crossing_step": crossing[0] if crossing else None,
        "seconds_to_target": crossing[1] if crossing else None,
        "best_within_60s": min(within),
        "final_val": evaluations[-1][2],
        "evaluations": evaluations,
    }


def report(results, stream=sys.stdout):
    print(f"\n{'recipe':<10} {'steps':>6} {'time to ' + format(TARGET, '.2f'):>22} {'best in 60 s':>13} "
          f"{'final val':>10} {'trained':>9}", file=stream)
    for result in results:
        to_target = (f"{result['seconds_to_target']:.1f} s (step {result['crossing_step']})"
                     if result["seconds_to_target"] is not None else f"> {result['training_seconds']:.0f} s")
        print(f"{result['recipe']:<10} {result['steps']:>6} {to_target:>22} {result['best_within_60s']:>13.3f} "
              f"{result['final_val']:>10.3f} {result['training_seconds']:>7.1f} s", file=stream)
    fast, tutorial = results
    if fast["seconds_to_target"] is None:
        print("\n" + _("the {recipe} recipe did not reach {target}").format(recipe=fast["recipe"], target=TARGET),
              file=stream)
    elif tutorial["seconds_to_target"] is None:
        bound = fast["seconds_to_target"] / tutorial["training_seconds"]
        print("\n" + _("ratio {fast}/{tutorial} time to {target}: < {bound} (the tutorial recipe did not reach "
                       "{target} in {seconds} s)").format(
                           fast=fast["recipe"], tutorial=tutorial["recipe"], target=TARGET, bound=f"{bound:.2f}",
                           seconds=f"{tutorial['training_seconds']:.0f}"), file=stream)
    else:
        ratio = fast["seconds_to_target"] / tutorial["seconds_to_target"]
        print(f"\nratio {fast['recipe']}/{tutorial['recipe']} time to {TARGET}: {ratio:.2f} "
              f"({tutorial['seconds_to_target'] / fast['seconds_to_target']:.1f}x faster)", file=stream)
    print(_("torch {version}, {threads} threads; training time only, evaluation excluded").format(
        version=torch.__version__, threads=torch.get_num_threads()), file=stream)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.training.bench", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", default=None,
                        help=f"package to train (default: ${ENVIRONMENT_VARIABLE} if set, else reference)")
    parser.add_argument("--recipe", choices=sorted(RECIPES), default=DEFAULT_RECIPE, help="the challenger")
    parser.add_argument("--time-limit", type=float, default=200.0, help="most seconds of training per recipe")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    import os

    package = args.impl or os.environ.get(ENVIRONMENT_VARIABLE, "").strip() or "reference"
    try:
        curriculum = load_curriculum(package)
        text = read_corpus()
        results = []
        for name, keep_going in ((args.recipe, False), ("tutorial", True)):
            recipe = RECIPES[name]
            print(f"{name}: {recipe.describe()}", file=sys.stderr, flush=True)
            results.append(race(recipe, curriculum, text, args.time_limit, keep_going=keep_going))
    except NotImplementedError as error:
        print(_("{command} needs every chapter written: {hint}").format(command=command("bench"),
                                                                        hint=stub_hint(error)), file=sys.stderr)
        return 2
    except TrainingError as error:
        print(f"{command('bench')}: {error}", file=sys.stderr)
        return 1
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
