"""The judge's checks, chapter by chapter: what is run in the sandbox, and how its results are judged.

For every chapter, ``plan(label)`` returns the probe runs (inputs made here,
from fixed seeds: ids, tensors, weights, texts) and the checks. A check
reads the outputs of one run, the student's and the reference's, and says
why they differ, or nothing when the student's are right. The reference's
outputs come from the same probe run in the judge's process on
``reference/``; the student's from the sandbox.

Checks test behaviour, not a way of writing it: weights are handed to both
sides (so construction order does not matter), outputs are compared with a
tolerance, and sampling is judged as a distribution. A chapter's points are
the share of its checks passed.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np
import torch

from . import probes, steps, wire
from .compare import (
    all_of,
    differs,
    dropout_at_the_end,
    same_arrays,
    same_gradients,
    same_parameters,
    same_values,
    sampling_problem,
    shorten,
)

SEED = 1234


@dataclass
class Run:
    id: str
    probe: str
    arguments: dict


@dataclass
class Check:
    name: str  # what is checked, in the curriculum's words
    run: str  # the run whose outputs it reads
    compare: Callable  # (student outputs, reference outputs) -> None when right, else why not
    needs: str = ""  # a run that must have passed the chapter's main output check too (its "output" right)


@dataclass
class Plan:
    runs: list
    checks: list
    context: dict = field(default_factory=dict)


# ---------------------------------------------------------------- inputs


def generator(offset=0):
    return torch.Generator().manual_seed(SEED + offset)


def reference_weights(module, offset=0, scale=0.5):
    """Random values for every parameter of the reference ``module``: {name: tensor}."""
    random = generator(100 + offset)
    weights = {}
    for name, parameter in module.named_parameters():
        noise = torch.randn(parameter.shape, generator=random)
        is_scale = parameter.dim() == 1 and name.rpartition(".")[2] in ("weight", "gamma")
        weights[name] = 1 + 0.3 * noise if is_scale else scale * noise
    return weights


def module_run(run_id, label, build, weights, inputs, train=False, gradients=False, device="cpu", output_shape=None):
    arguments = {"label": label, "build": build, "weights": weights, "inputs": inputs, "train": train,
                 "seed": SEED, "device": device}
    if gradients:
        arguments["output_weights"] = torch.randn(output_shape, generator=generator(7))
    return Run(run_id, "module", arguments)


def _reference_class(reference_package, label):
    return getattr(reference_package[label], probes.CHAPTER_CLASSES[label])


def _built(reference_package, label, build):
    torch.manual_seed(SEED)
    values = [probes.config_of(value) if isinstance(value, dict) else value for value in build]
    return _reference_class(reference_package, label)(*values)


# ---------------------------------------------------------------- chapters


def chapter00(_):
    """Chapter 00 has no class to write (``ModelConfig`` is given): its steps are all there is (steps.py)."""
    return Plan([], [])


def corpus_sample(length=704):
    """A text of ``length`` characters, not in sorted order; 0.9 * 704 = 633.6, so int() and round() differ."""
    random = np.random.RandomState(SEED)
    alphabet = list("etaoin shrdlu\nTHEWORLD,.!?';")
    return "".join(alphabet[index] for index in random.randint(0, len(alphabet), length))


def chapter01(_):
    text = corpus_sample()
    config = {"batch_size": 16, "input_sequence_length": 6, "device_type": "cpu"}
    arguments = {"text": text, "config": config, "seed": SEED, "draws": 150,
                 "encode": "the old hour, HERO!", "decode": [3, 1, 4, 1, 5, 9, 2, 6]}

    def windows(student, reference, splits=("train", "val")):
        T = config["input_sequence_length"]
        for split in splits:
            inputs, targets = student.get(f"{split}_inputs"), student.get(f"{split}_targets")
            data = reference[f"{split}_data"]
            if not isinstance(inputs, np.ndarray) or not isinstance(targets, np.ndarray):
                return f"get_batch({split!r}) did not return two tensors"
            starts = np.lib.stride_tricks.sliding_window_view(data, T + 1)  # (N - T, T + 1)
            valid = {tuple(row) for row in starts}
            drawn = np.concatenate([inputs.reshape(-1, T), targets.reshape(-1, T)[:, -1:]], axis=1)
            if not np.array_equal(inputs.reshape(-1, T)[:, 1:], targets.reshape(-1, T)[:, :-1]):
                return f"get_batch({split!r}): the targets are not the inputs moved one token on"
            stray = [row for row in map(tuple, drawn) if row not in valid]
            if stray:
                return f"get_batch({split!r}) returned windows that are not from the {split} split"
        return None

    def every_window(student, reference):
        problem = windows(student, reference, ("val",))
        if problem:
            return problem
        T = config["input_sequence_length"]
        data = reference["val_data"]
        expected = {tuple(row) for row in np.lib.stride_tricks.sliding_window_view(data, T + 1)}
        inputs, targets = student["val_inputs"].reshape(-1, T), student["val_targets"].reshape(-1, T)
        drawn = {tuple(row) for row in np.concatenate([inputs, targets[:, -1:]], axis=1)}
        missing = len(expected - drawn)
        if missing:
            return (f"{missing} of the {len(expected)} windows of the validation split were never drawn in "
                    f"{inputs.shape[0]} windows: every start from 0 to len - T - 1 must be possible")
        return None

    def batch_shapes(student, reference):
        for split in ("train", "val"):
            for part in ("inputs", "targets"):
                value, expected = student.get(f"{split}_{part}"), reference[f"{split}_{part}"]
                if not isinstance(value, np.ndarray) or value.shape != expected.shape:
                    shape = getattr(value, "shape", None)
                    return f"get_batch({split!r}) {part}: shape {shape} for {arguments['draws']} draws, " \
                           f"expected {expected.shape}"
                if value.dtype.kind not in "iu":
                    return f"get_batch({split!r}) {part} are {value.dtype}, not integer ids"
        return same_values("train_device", "val_device")(student, reference) or windows(student, reference)

    checks = [
        Check("vocabulary: the sorted characters, ids in that order", "loader",
              same_values("vocab_size", "itoc", "ctoi")),
        Check("encode: the id of every character", "loader", same_values("encoded")),
        Check("decode: the text of a list of ids", "loader", same_values("decoded")),
        Check("split_data: the first 90 % for training, the rest for validation", "loader",
              same_arrays("train_data", "val_data", "split_train", "split_val", rtol=0, atol=0)),
        Check("get_batch: (batch_size, input_sequence_length) integer ids on the config's device", "loader",
              batch_shapes),
        Check("get_batch: windows of the split asked for, targets moved one token on", "loader", windows),
        Check("get_batch: every window can be drawn, the last one too", "loader", every_window),
    ]
    return Plan([Run("loader", "data_loader", arguments)], checks)


def _module_chapter(reference_package, label, build, inputs, *, extra_inputs=None, train=True, meta=False,
                    weight_scale=0.5, train_check=None):
    module = _built(reference_package, label, build)
    weights = reference_weights(module, scale=weight_scale)
    with torch.no_grad():
        probes.load_weights(module, weights)
        module.eval()
        shape = probes.call(module, inputs).shape
    runs = [module_run("eval", label, build, weights, inputs, gradients=True, output_shape=shape)]
    # Every check needs outputs that only computing them gives: a fact alone (shapes, flags) earns nothing.
    right = same_arrays("output")
    checks = [
        Check("its parameters: shapes, and every one trainable", "eval", all_of(right, same_parameters)),
        Check("forward in eval mode: the reference's output for the same weights", "eval", right),
        Check("backward: the reference's gradient for every parameter", "eval", all_of(right, same_gradients)),
    ]
    for name, (title, other_inputs) in (extra_inputs or {}).items():
        runs.append(module_run(name, label, build, weights, other_inputs))
        checks.append(Check(title, name, same_arrays("output")))
    if train:
        train_build = [dict(value, dropout_rate=0.5) if isinstance(value, dict) else value for value in build]
        runs.append(module_run("train", label, train_build, weights, inputs, train=True))
        checks.append(Check("forward in training mode: dropout where the reference has it", "train",
                            train_check or same_arrays("output")))
    if meta:
        runs.append(module_run("meta", label, build, weights, inputs, device="meta"))
        checks.append(Check("on another device (\"meta\"): every tensor made on the input's device", "meta",
                            same_values("shape", "device"), needs="eval"))
    return Plan(runs, checks)


def chapter02(reference_package):
    ids = torch.randint(0, 11, (3, 5), generator=generator(2))
    ids[0, 0] = 10  # the last id too
    return _module_chapter(reference_package, "02", [11, 6], [ids], train=False)


def chapter03(reference_package):
    ids = torch.randint(0, 11, (2, 5), generator=generator(3))
    full = torch.randint(0, 11, (2, 8), generator=generator(4))
    return _module_chapter(reference_package, "03", [8, 6], [ids], train=False, meta=True,
                           extra_inputs={"full": ("a full block: positions 0 .. input_sequence_length - 1", [full])})


def chapter04(reference_package):
    ids = torch.randint(0, 11, (3, 5), generator=generator(5))
    config = {"input_sequence_length": 8, "embedding_dim": 6}
    return _module_chapter(reference_package, "04", [11, config], [ids], train=False, meta=True)


def chapter05(reference_package):
    random = generator(6)
    x = torch.randn(2, 3, 7, generator=random) * 2 + 1
    small = torch.randn(2, 3, 7, generator=random) * 1e-3
    small[0, 0] = 0.5  # a constant row: variance 0
    return _module_chapter(reference_package, "05", [7], [x], train=False,
                           extra_inputs={"small": ("tiny and constant rows: eps inside the square root", [small])})


def _attention_config(**changes):
    return {"embedding_dim": 8, "input_sequence_length": 6, "dropout_rate": 0.0, "num_attention_heads": 2,
            "hidden_dim": 12, **changes}


def chapter06(reference_package):
    random = generator(8)
    x = torch.randn(2, 6, 8, generator=random)
    short = torch.randn(2, 4, 8, generator=random)
    return _module_chapter(reference_package, "06", [4, _attention_config()], [x], meta=True,
                           extra_inputs={"short": ("a shorter input: the mask's top-left corner", [short])})


def chapter07(reference_package):
    x = torch.randn(2, 6, 8, generator=generator(9))
    return _module_chapter(reference_package, "07", [_attention_config()], [x])


def chapter08(reference_package):
    x = torch.randn(2, 5, 8, generator=generator(10))
    return _module_chapter(reference_package, "08", [_attention_config()], [x], train_check=dropout_at_the_end)


def chapter09(reference_package):
    x = torch.randn(2, 6, 8, generator=generator(11))
    return _module_chapter(reference_package, "09", [_attention_config()], [x], train=False)


def chapter10(reference_package):
    x = torch.randn(2, 5, 8, generator=generator(12)) * 3 + 1
    return _module_chapter(reference_package, "10", [9, _attention_config()], [x], train=False)


def _language_model_config():
    return _attention_config(input_sequence_length=5, layer_count=2)


def chapter11(reference_package):
    config = _language_model_config()
    build = [9, config]
    model = _built(reference_package, "11", build)
    weights = reference_weights(model, scale=0.8)
    random = generator(13)
    inputs = torch.randint(0, 9, (3, 5), generator=random)
    targets = torch.randint(0, 9, (3, 5), generator=random)
    prompt = torch.randint(0, 9, (1, 7), generator=random).repeat(400, 1)  # longer than the block: cropped
    arguments = {"build": build, "weights": weights, "inputs": inputs, "targets": targets, "prompt": prompt,
                 "max_new_tokens": 3, "seed": SEED}
    with torch.no_grad():
        probes.load_weights(model, weights)
    model.eval()

    def generation_shape(student, reference):
        generated = student.get("generated")
        if not isinstance(generated, np.ndarray) or generated.shape != reference["generated"].shape:
            return (f"generate returned shape {getattr(generated, 'shape', None)}, expected "
                    f"{reference['generated'].shape}: the prompt, then max_new_tokens new ids")
        if not np.array_equal(generated[:, : prompt.shape[1]], prompt.numpy()):
            return "generate changed the prompt: return the prompt followed by the new ids"
        if generated.min() < 0 or generated.max() >= 9:
            return "generate returned ids outside the vocabulary"
        return None

    def sampling(student, reference):
        problem = generation_shape(student, reference)
        if problem:
            return problem
        return sampling_problem(model, torch.from_numpy(student["generated"]), prompt.shape[1],
                                config["input_sequence_length"])

    logits = same_arrays("logits")
    checks = [
        Check("its parameters: shapes, and every one trainable", "model", all_of(logits, same_parameters)),
        Check("forward without targets: logits (B, T, V) and loss None", "model",
              all_of(logits, same_values("loss_without_targets"))),
        Check("forward with targets: logits of all B * T positions", "model", same_arrays("logits_with_targets")),
        Check("the loss: mean cross-entropy of the logits against the targets", "model",
              same_arrays("loss")),
        Check("generate: the prompt, then max_new_tokens new ids sampled from the softmax of the last position, "
              "the context cropped to the block", "model", sampling),
    ]
    return Plan([Run("model", "language_model", arguments)], checks)


def _reported_after_the_last_update(reference_trainer, arguments):
    """The outputs of a ``train`` whose last report comes after the last update rather than before it.

    The tutorial evaluates at step total_training_steps - 1, before that step's
    update; evaluating once more after the last update is right too (the
    chapter's tests accept both), so the judge accepts both schedules.
    """

    class ReportAfterTheLastUpdate(reference_trainer):
        def train(self):
            total, every = self.config.total_training_steps, self.config.evaluation_frequency
            for step in range(total + 1):
                if step % every == 0 or step == total:
                    losses = self.evaluate()
                    print(f"Step {step}: Train Loss {losses['train']:.4f}, Validation Loss {losses['val']:.4f}")
                if step < total:
                    self.train_step()

    with torch.random.fork_rng():
        produced = probes.run(SimpleNamespace(Trainer=ReportAfterTheLastUpdate), "trainer", arguments)
    return wire.decode(wire.encode(produced), tensors=False)


def either(compare, alternative):
    """``compare`` against the reference's outputs, or else against ``alternative``'s: None if one matches."""
    def check(student, reference):
        problem = compare(student, reference)
        return problem if problem and compare(student, alternative) else None
    return check


def chapter12(reference_package):
    random = generator(14)
    vocab_size, width = 7, 5
    # 8 steps, every 3: the tutorial reports at 0, 3, 6 and 7, so a missing last report shows.
    config = {"total_training_steps": 8, "evaluation_frequency": 3, "evaluation_loops": 2,
              "learning_rate": 0.05, "batch_size": 4, "input_sequence_length": 3, "device_type": "cpu"}

    def stream():
        ids = torch.randint(0, vocab_size, (20, 4, 4), generator=random)
        return torch.stack([ids[:, :, :-1], ids[:, :, 1:]], dim=1)  # (N, 2, B, T)

    shapes = [(vocab_size, width), (vocab_size, width), (vocab_size,)]
    weights = [torch.randn(shape, generator=random) for shape in shapes]
    base = {"config": config, "train_batches": stream(), "val_batches": stream(), "vocab_size": vocab_size,
            "width": width, "weights": weights, "seed": SEED}
    runs = [Run(part, "trainer", dict(base, part=part)) for part in ("train_step", "evaluate", "train")]
    after_the_last_update = _reported_after_the_last_update(reference_package["12"].Trainer,
                                                            dict(base, part="train"))

    def floats(student, reference):
        if student.get("loss_types") != ["float"] * 3:
            return f"train_step returned {student.get('loss_types')}: return loss.item(), a Python float"
        return same_arrays("losses")(student, reference)

    def weights_after(student, reference):
        theirs, ours = student.get("weights_after") or [], reference["weights_after"]
        if len(theirs) != len(ours):
            return "the model's parameters changed in number"
        for index, (mine, expected) in enumerate(zip(theirs, ours, strict=True)):
            problem = differs(mine, expected, what=f"parameter {index} after the steps", rtol=1e-3, atol=1e-5)
            if problem:
                return problem + ": forward, zero_grad, backward, step, in every train_step"
        return None

    def eval_losses(student, reference):
        theirs, ours = student.get("losses") or {}, reference["losses"]
        for split in ("train", "val"):
            value = theirs.get(split) if isinstance(theirs, dict) else None
            if not isinstance(value, (int, float)) or not np.isclose(value, ours[split], rtol=1e-4, atol=1e-5):
                return (f"evaluate's {split!r} loss is {shorten(value)}, expected {ours[split]:.4f}: the mean over "
                        f"evaluation_loops batches of the {split} split, in eval mode")
        return None

    def reported_losses(student, reference):
        theirs, ours = student.get("reported_losses"), reference["reported_losses"]
        if not isinstance(theirs, list) or len(theirs) != len(ours) or not all(
                isinstance(row, list) and len(row) == 2 and np.allclose(row, expected, atol=2e-4)
                for row, expected in zip(theirs, ours, strict=True)):
            return f"train printed the losses {shorten(theirs)}, expected {shorten(ours)} (train loss, val loss)"
        return None

    checks = [
        Check("train_step: returns the batch's loss as a Python float", "train_step", floats),
        Check("train_step: the weights move as forward, zero_grad, backward and an AdamW step move them",
              "train_step", weights_after),
        Check("evaluate: the mean loss of each split, in eval mode", "evaluate", eval_losses),
        Check("evaluate: evaluation_loops batches of each split", "evaluate",
              all_of(eval_losses, same_values("drawn"))),
        Check("evaluate: no gradients, and the model back in training mode after", "evaluate",
              all_of(eval_losses, same_values("gradients_while_evaluating", "training_after"))),
        Check("train: reports the losses at the reference's steps", "train",
              either(all_of(same_values("reported_steps"), reported_losses), after_the_last_update)),
        Check("train: total_training_steps steps, with the reference's evaluations between them", "train",
              either(all_of(same_values("drawn"), weights_after), after_the_last_update)),
    ]
    return Plan(runs, checks)


PLANS = {"00": chapter00, "01": chapter01, "02": chapter02, "03": chapter03, "04": chapter04, "05": chapter05,
         "06": chapter06, "07": chapter07, "08": chapter08, "09": chapter09, "10": chapter10, "11": chapter11,
         "12": chapter12}


def plan(label, reference_package):
    """The runs and checks of chapter ``label``; ``reference_package`` maps labels to reference modules.

    The class checks of the chapter, then one check per call of each of its steps (``steps.py``).
    """
    chapter_plan = PLANS[label](reference_package)
    for index, (function, arguments, compare) in enumerate(steps.chapter_steps(label)):
        run_id = f"step {index:02d} {function}"
        chapter_plan.runs.append(Run(run_id, "step", arguments))
        chapter_plan.checks.append(Check(f"step {function}", run_id, compare))
    return chapter_plan
