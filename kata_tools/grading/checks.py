"""The judge's checks, chapter by chapter: what is run in the sandbox, and how its results are judged.

For every chapter, ``plan(label)`` returns the probe runs (inputs made here,
from fixed seeds: ids, tensors, weights, texts) and the checks. A check
reads the outputs of one run, the student's and the reference's, and says
why they differ, or nothing when the student's are right. The reference's
outputs come from the same probe run in the judge's process on
``reference/``; the student's from the sandbox.

Every run holds two cases or more: the same probe on inputs whose right
answers differ, and a check passes only when every case is right, so a
constant, or an answer that ignores its inputs, earns nothing
(checks/test_grading_checks.py proves it of every check).

Checks test behaviour, not a way of writing it, and accept what the
chapter's tests accept: weights are handed to both sides (so construction
order and torch.compile's wrappers do not matter), outputs are compared with
a tolerance, dropout is judged by where it acts and how much it drops (at
two rates), the training log is read by the chapter tests' own parser
(training_log.py), and sampling is judged as a distribution. A chapter's
points are the share of its checks passed.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np
import torch

from . import probes, steps, training_log, wire
from .compare import (
    all_of,
    differs,
    dropout_at_the_end,
    dropout_on_the_weights,
    every_case,
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


def module_case(label, build, weights, inputs, *, train=False, output_weights=None, meta=False):
    """The arguments of one case of a module run (probes.probe_module)."""
    arguments = {"label": label, "build": build, "weights": weights, "inputs": inputs, "train": train,
                 "seed": SEED, "meta": meta}
    if output_weights is not None:
        arguments["output_weights"] = output_weights
    return arguments


def _reference_class(reference_package, label):
    return getattr(reference_package[label], probes.CHAPTER_CLASSES[label])


def _built(reference_package, label, build):
    torch.manual_seed(SEED)
    values = [probes.config_of(value) if isinstance(value, dict) else value for value in build]
    return _reference_class(reference_package, label)(*values)


def cases_of(*compares):
    """A case comparison for every case: the one given, or one per case."""
    return every_case(list(compares) if len(compares) > 1 else compares[0])


def with_rate(build, rate):
    return [dict(value, dropout_rate=rate) if isinstance(value, dict) else value for value in build]


DROPOUT_RATES = (0.5, 0.25)  # two rates: a rate written into the code fails one of them


# ---------------------------------------------------------------- chapters


def chapter00(_):
    """Chapter 00 has no class to write (``ModelConfig`` is given): its steps are all there is (steps.py)."""
    return Plan([], [])


def corpus_sample(length=704, alphabet="etaoin shrdlu\nTHEWORLD,.!?';", offset=0):
    """A text of ``length`` characters, not in sorted order; 0.9 * 704 = 633.6, so int() and round() differ."""
    random = np.random.RandomState(SEED + offset)
    alphabet = list(alphabet)
    return "".join(alphabet[index] for index in random.randint(0, len(alphabet), length))


def every_window_of_the(data, T):
    """Every window of T + 1 ids of ``data``: (N - T, T + 1)."""
    return np.lib.stride_tricks.sliding_window_view(data, T + 1)


def window_codes(windows, data):
    """One integer per window (its ids as the digits of a number), -1 for a window with an id not of ``data``."""
    base = int(data.max()) + 1
    windows = windows.astype(np.int64)
    codes = windows @ (base ** np.arange(windows.shape[1], dtype=np.int64))
    return np.where(((windows >= 0) & (windows < base)).all(axis=1), codes, -1)


def chapter01(_):
    cases = [
        {"text": corpus_sample(), "config": {"batch_size": 16, "input_sequence_length": 6, "device_type": "cpu"},
         "seed": SEED, "draws": 100, "encode": "the old hour, HERO!", "decode": [3, 1, 4, 1, 5, 9, 2, 6]},
        # 0.9 * 503 = 452.7: int() and round() differ here too. 100 draws of each split: every one of the
        # validation split's windows (65, then 47) is drawn unless a start can never be drawn (misses ~1e-6).
        {"text": corpus_sample(503, "abcdefgh ijk\nXYZ.,;", offset=1),
         "config": {"batch_size": 8, "input_sequence_length": 4, "device_type": "cpu"},
         "seed": SEED + 1, "draws": 100, "encode": "bad chief jig, XY.", "decode": [2, 7, 1, 8, 2, 8]},
    ]

    def windows_of(case, splits=("train", "val")):
        T = case["config"]["input_sequence_length"]

        def windows(student, reference):
            for split in splits:
                inputs, targets = student.get(f"{split}_inputs"), student.get(f"{split}_targets")
                data = reference[f"{split}_data"]
                if not isinstance(inputs, np.ndarray) or not isinstance(targets, np.ndarray):
                    return f"get_batch({split!r}) did not return two tensors"
                if inputs.dtype.kind not in "iu" or targets.dtype.kind not in "iu":
                    return f"get_batch({split!r}) returned {inputs.dtype} and {targets.dtype}, not integer ids"
                if inputs.shape != targets.shape or inputs.size % T:
                    return f"get_batch({split!r}): inputs {inputs.shape} and targets {targets.shape}, expected " \
                           f"(batch_size, {T}) each"
                drawn = np.concatenate([inputs.reshape(-1, T), targets.reshape(-1, T)[:, -1:]], axis=1)
                if not np.array_equal(inputs.reshape(-1, T)[:, 1:], targets.reshape(-1, T)[:, :-1]):
                    return f"get_batch({split!r}): the targets are not the inputs moved one token on"
                if not np.isin(window_codes(drawn, data), window_codes(every_window_of_the(data, T), data)).all():
                    return f"get_batch({split!r}) returned windows that are not from the {split} split"
            return None
        return windows

    def every_window_of(case):
        T = case["config"]["input_sequence_length"]

        def every_window(student, reference):
            problem = windows_of(case, ("val",))(student, reference)
            if problem:
                return problem
            data = reference["val_data"]
            expected = set(window_codes(every_window_of_the(data, T), data).tolist())
            inputs, targets = student["val_inputs"].reshape(-1, T), student["val_targets"].reshape(-1, T)
            drawn = set(window_codes(np.concatenate([inputs, targets[:, -1:]], axis=1), data).tolist())
            missing = len(expected - drawn)
            if missing:
                return (f"{missing} of the {len(expected)} windows of the validation split were never drawn in "
                        f"{inputs.shape[0]} windows: every start from 0 to len - T - 1 must be possible")
            return None
        return every_window

    def batch_shapes_of(case):
        def batch_shapes(student, reference):
            for split in ("train", "val"):
                for part in ("inputs", "targets"):
                    value, expected = student.get(f"{split}_{part}"), reference[f"{split}_{part}"]
                    if not isinstance(value, np.ndarray) or value.shape != expected.shape:
                        shape = getattr(value, "shape", None)
                        return f"get_batch({split!r}) {part}: shape {shape} for {case['draws']} draws, " \
                               f"expected {expected.shape}"
                    if value.dtype.kind not in "iu":
                        return f"get_batch({split!r}) {part} are {value.dtype}, not integer ids"
            return same_values("train_device", "val_device")(student, reference) or \
                windows_of(case)(student, reference)
        return batch_shapes

    checks = [
        Check("vocabulary: the sorted characters, ids in that order", "loader",
              cases_of(same_values("vocab_size", "itoc", "ctoi"))),
        Check("encode: the id of every character", "loader", cases_of(same_values("encoded"))),
        Check("decode: the text of a list of ids", "loader", cases_of(same_values("decoded"))),
        Check("split_data: the first 90 % for training, the rest for validation", "loader",
              cases_of(same_arrays("train_data", "val_data", "split_train", "split_val", rtol=0, atol=0))),
        Check("get_batch: (batch_size, input_sequence_length) integer ids on the config's device", "loader",
              cases_of(*[batch_shapes_of(case) for case in cases])),
        Check("get_batch: windows of the split asked for, targets moved one token on", "loader",
              cases_of(*[windows_of(case) for case in cases])),
        Check("get_batch: every window can be drawn, the last one too", "loader",
              cases_of(*[every_window_of(case) for case in cases])),
    ]
    return Plan([Run("loader", "data_loader", {"cases": cases})], checks)


def _module_chapter(reference_package, label, build, inputs, *, extra_inputs=None, meta=False, weight_scale=0.5,
                    train=None):
    """The checks of a module chapter (02-10).

    ``inputs``: the cases of the main run, each a list of the module's inputs. ``extra_inputs``: {run id:
    (title, cases) or (title, cases, builds)}, more runs in eval mode (with a build of their own per case).
    ``train``: None (no training-mode check), or (cases of inputs,
    how the probe trains, comparison factory (rate, inputs) -> comparison): a run per case at each of
    DROPOUT_RATES.
    """
    module = _built(reference_package, label, build)
    weights = reference_weights(module, scale=weight_scale)
    with torch.no_grad():
        probes.load_weights(module, weights)
        module.eval()
        shapes = [probes.call(module, case).shape for case in inputs]
    eval_cases = [module_case(label, build, weights, case, meta=meta,
                              output_weights=torch.randn(shape, generator=generator(7 + index)))
                  for index, (case, shape) in enumerate(zip(inputs, shapes, strict=True))]
    runs = [Run("eval", "module", {"cases": eval_cases})]
    # Every check needs outputs that only computing them gives: a fact alone (shapes, flags) earns nothing.
    right = same_arrays("output")
    checks = [
        Check("its parameters: shapes, and every one trainable", "eval", cases_of(all_of(right, same_parameters))),
        Check("forward in eval mode: the reference's output for the same weights", "eval", cases_of(right)),
        Check("backward: the reference's gradient for every parameter", "eval",
              cases_of(all_of(right, same_gradients))),
    ]
    for name, (title, other_inputs, *builds) in (extra_inputs or {}).items():
        cases = []
        other_builds = builds[0] if builds else [build] * len(other_inputs)
        for index, (case, other_build) in enumerate(zip(other_inputs, other_builds, strict=True)):
            other_weights = weights if other_build == build else reference_weights(
                _built(reference_package, label, other_build), offset=index, scale=weight_scale)
            cases.append(module_case(label, other_build, other_weights, case))
        runs.append(Run(name, "module", {"cases": cases}))
        checks.append(Check(title, name, cases_of(right)))
    if train:
        train_inputs, mode, train_check = train
        train_cases = [module_case(label, with_rate(build, rate), weights, case, train=mode)
                       for case, rate in zip(train_inputs, DROPOUT_RATES, strict=True)]
        runs.append(Run("train", "module", {"cases": train_cases}))
        checks.append(Check("forward in training mode: dropout where the reference has it, at its rate", "train",
                            cases_of(*[train_check(rate, case, weights)
                                       for case, rate in zip(train_inputs, DROPOUT_RATES, strict=True)])))
    if meta:
        checks.append(Check("on another device (\"meta\"): every tensor made on the input's device", "eval",
                            cases_of(all_of(right, on_meta))))
    return Plan(runs, checks)


def on_meta(student, reference):
    theirs, ours = student.get("meta"), reference["meta"]
    if isinstance(theirs, dict) and isinstance(theirs.get("error"), str):
        return f"on the \"meta\" device it raised {shorten(theirs['error'], 300)}"
    if theirs != ours:
        return f"on the \"meta\" device the output was {shorten(theirs)}, expected {shorten(ours)}"
    return None


def chapter02(reference_package):
    ids = torch.randint(0, 11, (3, 5), generator=generator(2))
    ids[0, 0] = 10  # the last id too
    ids_2 = torch.randint(0, 11, (2, 4), generator=generator(52))
    return _module_chapter(reference_package, "02", [11, 6], [[ids], [ids_2]])


def chapter03(reference_package):
    ids = torch.randint(0, 11, (2, 5), generator=generator(3))
    full = torch.randint(0, 11, (2, 8), generator=generator(4))
    ids_2 = torch.randint(0, 11, (3, 3), generator=generator(53))
    full_2 = torch.randint(0, 11, (1, 5), generator=generator(54))
    # The positions of a full block depend on its length only: the second case is a module of another block size.
    return _module_chapter(reference_package, "03", [8, 6], [[ids], [ids_2]], meta=True,
                           extra_inputs={"full": ("a full block: positions 0 .. input_sequence_length - 1",
                                                  [[full], [full_2]], [[8, 6], [5, 6]])})


def chapter04(reference_package):
    ids = torch.randint(0, 11, (3, 5), generator=generator(5))
    ids_2 = torch.randint(0, 11, (2, 7), generator=generator(55))
    config = {"input_sequence_length": 8, "embedding_dim": 6}
    return _module_chapter(reference_package, "04", [11, config], [[ids], [ids_2]], meta=True)


def chapter05(reference_package):
    random, other = generator(6), generator(56)
    x = torch.randn(2, 3, 7, generator=random) * 2 + 1
    small = torch.randn(2, 3, 7, generator=random) * 1e-3
    small[0, 0] = 0.5  # a constant row: variance 0
    x_2 = torch.randn(3, 2, 7, generator=other) * 3 - 2
    small_2 = torch.randn(1, 4, 7, generator=other) * 1e-3
    small_2[0, 2] = -0.25
    return _module_chapter(reference_package, "05", [7], [[x], [x_2]],
                           extra_inputs={"small": ("tiny and constant rows: eps inside the square root",
                                                   [[small], [small_2]])})


def _attention_config(**changes):
    return {"embedding_dim": 8, "input_sequence_length": 6, "dropout_rate": 0.0, "num_attention_heads": 2,
            "hidden_dim": 12, **changes}


def attention_weights_and_values(reference_package, build, weights, x):
    """The reference head's attention weights (B, T, T), as they enter its dropout, and values (B, T, H) for ``x``."""
    head = _built(reference_package, "06", build)
    seen = []
    with torch.no_grad():
        probes.load_weights(head, weights)
        handle = head.dropout.register_forward_hook(lambda _module, inputs, _output: seen.append(inputs[0]))
        try:
            head.eval()(x)
        finally:
            handle.remove()
        return seen[0].numpy(), head.value_fc(x).numpy()


def chapter06(reference_package):
    # The cases of a run share their shape: a compiled module then compiles once for them.
    random, other = generator(8), generator(58)
    x = torch.randn(4, 6, 8, generator=random)
    short = torch.randn(2, 4, 8, generator=random)
    x_2, short_2 = torch.randn(4, 6, 8, generator=other), torch.randn(2, 4, 8, generator=other)
    build = [4, _attention_config()]
    train_inputs = [[x], [x_2]]

    def on_the_weights(rate, inputs, weights):
        attention, values = attention_weights_and_values(reference_package, build, weights, inputs[0])
        return dropout_on_the_weights(attention, values, rate)

    return _module_chapter(reference_package, "06", build, [[x], [x_2]], meta=True,
                           extra_inputs={"short": ("a shorter input: the mask's top-left corner",
                                                   [[short], [short_2]])},
                           train=(train_inputs, True, on_the_weights))


def chapter07(reference_package):
    x = torch.randn(2, 6, 8, generator=generator(9))
    x_2 = torch.randn(2, 6, 8, generator=generator(59))
    # As the chapter's tests run it: the heads in eval mode, the module's own dropout in training mode.
    return _module_chapter(reference_package, "07", [_attention_config()], [[x], [x_2]],
                           train=([[x], [x_2]], "last", lambda rate, *_: dropout_at_the_end(rate)))


def chapter08(reference_package):
    x = torch.randn(2, 5, 8, generator=generator(10))
    x_2 = torch.randn(2, 5, 8, generator=generator(60))
    return _module_chapter(reference_package, "08", [_attention_config()], [[x], [x_2]],
                           train=([[x], [x_2]], True, lambda rate, *_: dropout_at_the_end(rate)))


def chapter09(reference_package):
    x = torch.randn(2, 6, 8, generator=generator(11))
    x_2 = torch.randn(2, 6, 8, generator=generator(61))
    return _module_chapter(reference_package, "09", [_attention_config()], [[x], [x_2]])


def chapter10(reference_package):
    x = torch.randn(2, 5, 8, generator=generator(12)) * 3 + 1
    x_2 = torch.randn(2, 5, 8, generator=generator(62)) * 2 - 1
    return _module_chapter(reference_package, "10", [9, _attention_config()], [[x], [x_2]])


def _language_model_config():
    return _attention_config(input_sequence_length=5, layer_count=2)


def chapter11(reference_package):
    config = _language_model_config()
    build = [9, config]
    model = _built(reference_package, "11", build)
    weights = reference_weights(model, scale=0.8)
    # The second input's model is nearly flat: the unlikely ids then carry real mass, so sampling
    # that never picks them (top-k) shows; the first's peaked model shows a wrong temperature.
    flat_weights = reference_weights(model, offset=7, scale=0.25)
    random, other = generator(13), generator(63)
    cases = []
    for source, case_weights, (batch, length, rows, prompt_length, new) in (
            (random, weights, (3, 5, 400, 7, 3)), (other, flat_weights, (2, 4, 300, 6, 2))):
        inputs = torch.randint(0, 9, (batch, length), generator=source)
        targets = torch.randint(0, 9, (batch, length), generator=source)
        prompt = torch.randint(0, 9, (1, prompt_length), generator=source).repeat(rows, 1)  # longer than the block
        cases.append({"build": build, "weights": case_weights, "inputs": inputs, "targets": targets, "prompt": prompt,
                      "max_new_tokens": new, "seed": SEED})

    def model_of(case):
        sampler = _built(reference_package, "11", build)
        with torch.no_grad():
            probes.load_weights(sampler, case["weights"])
        return sampler.eval()

    def sampling_of(case):
        prompt = case["prompt"]
        model = model_of(case)
        judged = {}  # the same ids judged once (the judge's proofs ask many times)

        def sampling(student, reference):
            generated = student.get("generated")
            if not isinstance(generated, np.ndarray) or generated.shape != reference["generated"].shape:
                return (f"generate returned shape {getattr(generated, 'shape', None)}, expected "
                        f"{reference['generated'].shape}: the prompt, then max_new_tokens new ids")
            if generated.dtype.kind not in "iu":
                return f"generate returned {generated.dtype} values, expected integer ids"
            if not np.array_equal(generated[:, : prompt.shape[1]], prompt.numpy()):
                return "generate changed the prompt: return the prompt followed by the new ids"
            if generated.min() < 0 or generated.max() >= 9:
                return "generate returned ids outside the vocabulary"
            key = generated.astype(np.int64).tobytes()
            if key not in judged:
                judged[key] = sampling_problem(model, torch.from_numpy(generated.astype(np.int64)), prompt.shape[1],
                                               config["input_sequence_length"])
            return judged[key]
        return sampling

    logits = same_arrays("logits")
    checks = [
        Check("its parameters: shapes, and every one trainable", "model", cases_of(all_of(logits, same_parameters))),
        Check("forward without targets: logits (B, T, V) and loss None", "model",
              cases_of(all_of(logits, same_values("loss_without_targets")))),
        Check("forward with targets: logits of all B * T positions", "model",
              cases_of(same_arrays("logits_with_targets"))),
        Check("the loss: mean cross-entropy of the logits against the targets", "model",
              cases_of(same_arrays("loss"))),
        Check("generate: the prompt, then max_new_tokens new ids sampled from the softmax of the last position, "
              "the context cropped to the block", "model", cases_of(*[sampling_of(case) for case in cases])),
    ]
    return Plan([Run("model", "language_model", {"cases": cases})], checks)


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


def reported(student, reference):
    """The report lines ``train`` printed, read by the shared parser: the reference's steps and losses."""
    printed = student.get("printed")
    theirs = training_log.reports(printed) if isinstance(printed, str) else None
    ours = training_log.reports(reference["printed"])
    if theirs is None or [step for step, _, _ in theirs] != [step for step, _, _ in ours]:
        shown = [step for step, _, _ in theirs] if theirs is not None else printed
        return (f"train reported at the steps {shorten(shown)}, expected {[step for step, _, _ in ours]} "
                "(a line like 'Step 0: Train Loss 2.3080, Validation Loss 2.3095' at each evaluation)")
    if not np.allclose([row[1:] for row in theirs], [row[1:] for row in ours], atol=2e-4):
        return (f"train printed the losses {shorten([row[1:] for row in theirs])}, expected "
                f"{shorten([row[1:] for row in ours])} (train loss, validation loss)")
    return None


def chapter12(reference_package):
    random, other = generator(14), generator(64)
    # 8 steps, every 3: the tutorial reports at 0, 3, 6 and 7, so a missing last report shows;
    # 7 steps, every 2: at 0, 2, 4 and 6, where the last step is also a multiple of the frequency.
    configs = [{"total_training_steps": 8, "evaluation_frequency": 3, "evaluation_loops": 2,
                "learning_rate": 0.05, "batch_size": 4, "input_sequence_length": 3, "device_type": "cpu"},
               {"total_training_steps": 7, "evaluation_frequency": 2, "evaluation_loops": 3,
                "learning_rate": 0.02, "batch_size": 3, "input_sequence_length": 4, "device_type": "cpu"}]
    bases = []
    for source, config, (vocab_size, width) in ((random, configs[0], (7, 5)), (other, configs[1], (6, 4))):
        B, T = config["batch_size"], config["input_sequence_length"]

        def stream(source=source, vocab_size=vocab_size, B=B, T=T):
            ids = torch.randint(0, vocab_size, (20, B, T + 1), generator=source)
            return torch.stack([ids[:, :, :-1], ids[:, :, 1:]], dim=1)  # (N, 2, B, T)

        shapes = [(vocab_size, width), (vocab_size, width), (vocab_size,)]
        weights = [torch.randn(shape, generator=source) for shape in shapes]
        bases.append({"config": config, "train_batches": stream(), "val_batches": stream(), "vocab_size": vocab_size,
                      "width": width, "weights": weights, "seed": SEED})
    parts = ("train_step", "evaluate", "train")
    runs = [Run(part, "trainer", {"cases": [dict(base, part=part) for base in bases]}) for part in parts]
    after_the_last_update = _reported_after_the_last_update(reference_package["12"].Trainer, runs[2].arguments)

    def floats(student, reference):
        if student.get("loss_types") != ["float"] * 3:
            return f"train_step returned {student.get('loss_types')}: return loss.item(), a Python float"
        return same_arrays("losses")(student, reference)

    def weights_after(student, reference):
        theirs, ours = student.get("weights_after"), reference["weights_after"]
        if not isinstance(theirs, list) or len(theirs) != len(ours):
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
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isclose(
                    value, ours[split], rtol=1e-4, atol=1e-5):
                return (f"evaluate's {split!r} loss is {shorten(value)}, expected {ours[split]:.4f}: the mean over "
                        f"evaluation_loops batches of the {split} split, in eval mode")
        return None

    checks = [
        Check("train_step: returns the batch's loss as a Python float", "train_step", cases_of(floats)),
        Check("train_step: the weights move as forward, zero_grad, backward and an AdamW step move them",
              "train_step", cases_of(weights_after)),
        Check("evaluate: the mean loss of each split, in eval mode", "evaluate", cases_of(eval_losses)),
        Check("evaluate: evaluation_loops batches of each split", "evaluate",
              cases_of(all_of(eval_losses, same_values("drawn")))),
        Check("evaluate: no gradients, and the model back in training mode after", "evaluate",
              cases_of(all_of(eval_losses, same_values("gradients_while_evaluating", "training_after")))),
        Check("train: reports the losses at the reference's steps", "train",
              either(cases_of(reported), after_the_last_update)),
        Check("train: total_training_steps steps, with the reference's evaluations between them", "train",
              either(cases_of(all_of(same_values("drawn"), weights_after)), after_the_last_update)),
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
