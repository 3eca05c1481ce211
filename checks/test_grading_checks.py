"""The judge's checks give points only for computing, and accept what the chapter's tests accept.

Most proofs here run on the judge's side only: the reference's outputs of
every chapter, changed into "cheap answers" (a constant, zeros of the right
shape, the input handed back, a list where a tensor is expected, ...), are
given to ``judge.judge_chapter`` as a sandboxed worker would send them, and
every check must fail each. One sandboxed run grades honest variants the
chapter's tests accept (a compiled attention head, compiled heads, a
``train`` that prints more than its reports).
"""

import shutil

import numpy as np
import pytest
import torch

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.grading import checks as judge_checks
from kata_tools.grading import judge, training_log, wire

LABELS = [entry.label for entry in CHAPTERS]
MODULES = {entry.label: entry.module for entry in CHAPTERS}


@pytest.fixture(scope="module")
def judged():
    """({label: plan}, {label: {run id: the reference's outputs}}), as the judge makes them."""
    modules = judge.reference_modules(LABELS)
    plans = {label: judge_checks.plan(label, modules) for label in LABELS}
    return plans, judge.reference_outputs(plans, modules)


def verdicts(plan, reference, forged_run, forged):
    """The judge's CheckResults when the run ``forged_run`` sends ``forged`` (other runs send nothing)."""
    return judge.judge_chapter(plan, reference, {forged_run: {"outputs": wire.encode(forged)}})


def each_run(judged):
    """(label, run, plan, the reference's outputs, [(index, check) of the checks that read the run])."""
    plans, reference = judged
    for label in LABELS:
        plan = plans[label]
        for run in plan.runs:
            checks = [(index, check) for index, check in enumerate(plan.checks) if check.run == run.id]
            yield label, run, plan, reference[label], checks


def passing(plan, reference, run, forged, checks):
    """The names of ``checks`` that pass when ``run`` sends ``forged``."""
    results = verdicts(plan, reference, run.id, forged)
    return [check.name for index, check in checks if results[index].passed]


# ---------------------------------------------------------------- every check has inputs whose answers differ


def test_every_check_has_two_inputs_or_more_whose_right_answers_differ(judged):
    """Answering every input with the right answer of one of them (a constant) fails every check."""
    wrong = []
    for label, run, plan, reference, checks in each_run(judged):
        cases = reference[run.id].get("cases")
        if not isinstance(cases, list) or len(cases) < 2:
            wrong.append(f"chapter {label}, run {run.id}: fewer than two inputs")
            continue
        right = passing(plan, reference, run, reference[run.id], checks)
        assert len(right) == len(checks), f"chapter {label}: the reference's own answers fail"
        for kept in range(len(cases)):
            constant = {**reference[run.id], "cases": [cases[kept]] * len(cases)}
            wrong += [f"chapter {label}, {name}: the right answer of input {kept + 1}, given for every input, passes"
                      for name in passing(plan, reference, run, constant, checks)]
    assert not wrong, "checks that a constant answer passes:\n" + "\n".join(wrong)


# ---------------------------------------------------------------- cheap answers earn nothing


def zeros(value):
    """Every computed value zeroed, of the right type and shape: tensors, numbers, texts ("")."""
    if isinstance(value, np.ndarray):
        return np.zeros_like(value)
    if isinstance(value, dict):
        return {key: zeros(item) for key, item in value.items()}
    if isinstance(value, list):
        return [zeros(item) for item in value]
    if isinstance(value, str):
        return ""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return 0.0
    if isinstance(value, int) and not isinstance(value, bool):
        return 0
    return value  # None


def as_lists(value):
    """Every tensor sent as a list of its numbers: the right values, of the wrong type."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {key: as_lists(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_lists(item) for item in value]
    return value


def ids_as_floats(value):
    """Every integer tensor sent as floats of the same values: ids of the wrong dtype."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float32) if value.dtype.kind in "iu" else value
    if isinstance(value, dict):
        return {key: ids_as_floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [ids_as_floats(item) for item in value]
    return value


def first_input(arguments):
    """The first input of a step or a module call, as the worker would send it back."""
    decoded = wire.decode(wire.encode(arguments))
    return decoded["inputs"][0]


def the_input_back(run, outputs):
    """Each case's output replaced by that case's first input, for runs that have one (steps, modules)."""
    if run.probe not in ("step", "module"):
        return None
    cases = [dict(case, output=first_input(arguments))
             for case, arguments in zip(outputs["cases"], run.arguments["cases"], strict=True)]
    return {**outputs, "cases": cases}


def a_float_as_a_tensor(outputs):
    """A step's Python float result sent as a one-element tensor (the tutorial returns ``loss.item()``)."""
    cases = [dict(case, output=np.asarray(case["output"], dtype=np.float32)) if isinstance(case.get("output"), float)
             else case for case in outputs["cases"]]
    return {**outputs, "cases": cases} if cases != outputs["cases"] else None


# Where the chapter's tests accept the other type, the judge does too (a cheap answer that is right is no cheat).
ACCEPTED = {
    ("ids as floats", "step one_hot_targets"): "the tests compare a one-hot's values, of any dtype",
    ("a float as a tensor", "step dot_product_variance"): "the tests read float(result)",
}


def forged_key(outputs, key, forge):
    """``outputs`` with ``key`` of every case replaced by ``forge(its value)``; None when that changes nothing."""
    cases = [dict(case, **{key: forge(case[key])}) for case in outputs["cases"]]
    forged = {**outputs, "cases": cases}
    return None if wire.encode(forged) == wire.encode(outputs) else forged


def test_cheap_answers_earn_nothing(judged):
    """Zeros of the right shape, the input handed back, tensors as lists, ids as floats, a tensor for .item().

    Each output of a run (a key of its cases) is forged alone, the others kept right; every check that
    reads it (fails when it is missing) must fail each forgery.
    """
    wrong = []
    for label, run, plan, reference, checks in each_run(judged):
        outputs = reference[run.id]
        for key in outputs["cases"][0]:
            missing = verdicts(plan, reference, run.id, forged_key(outputs, key, lambda _: None))
            readers = [(index, check) for index, check in checks if not missing[index].passed]
            forgeries = {
                "zeros": forged_key(outputs, key, zeros),
                "tensors as lists": forged_key(outputs, key, as_lists),
                "ids as floats": forged_key(outputs, key, ids_as_floats),
            }
            if key == "output":
                forgeries["the input back"] = the_input_back(run, outputs)
                forgeries["a float as a tensor"] = a_float_as_a_tensor(outputs)
            for kind, forged in forgeries.items():
                if forged is not None:
                    wrong += [f"chapter {label}, {name}: {kind} in {key!r} passes"
                              for name in passing(plan, reference, run, forged, readers)
                              if (kind, name) not in ACCEPTED]
    assert not wrong, "checks that a cheap answer passes:\n" + "\n".join(wrong)


# ---------------------------------------------------------------- one training log, read one way


PRINTED_VARIANTS = {
    "the tutorial's lines": "Step {step}: Train Loss {train:.4f}, Validation Loss {val:.4f}",
    "extra text after the losses": "Step {step}: Train Loss {train:.4f}, Validation Loss {val:.4f}, lr 0.0500 (1.2 s)",
    "a prefix": "[nanoGPT] step {step} | train loss {train:.4f} | val loss {val:.4f}",
    "a progress line between the reports": "Step {step}: Train Loss {train:.4f}, Validation Loss {val:.4f}\n"
                                           "training... 1 step done",
}


def test_the_training_log_is_read_by_one_parser_that_accepts_extra_text_and_progress_lines(judged):
    plans, reference = judged
    plan, ours = plans["12"], reference["12"]
    index = next(index for index, check in enumerate(plan.checks) if check.name.startswith("train: reports"))
    for name, line in PRINTED_VARIANTS.items():
        cases = []
        for case in ours["train"]["cases"]:
            printed = "\n".join(line.format(step=step, train=train, val=val)
                                for step, train, val in training_log.reports(case["printed"]))
            assert [row[0] for row in training_log.reports(printed)] == [
                row[0] for row in training_log.reports(case["printed"])], name
            cases.append(dict(case, printed=printed + "\ndone\n"))
        result = verdicts(plan, ours, "train", {"cases": cases})[index]
        assert result.passed, f"{name}: {result.message}"
    wrong = "Step 0: Train Loss 9.9999, Validation Loss 9.9999"
    cases = [dict(case, printed=wrong) for case in ours["train"]["cases"]]
    assert not verdicts(plan, ours, "train", {"cases": cases})[index].passed
    source = (REPO_ROOT / "tests" / "test_chapter12_trainer.py").read_text(encoding="utf-8")
    assert "training_log.reports(" in source and "re.compile" not in source, (
        "the chapter's tests must read the training log with kata_tools/grading/training_log.py, as the judge does")


# ---------------------------------------------------------------- dropout judged by where it acts, at two rates


def test_a_dropout_rate_written_into_the_code_fails_and_any_mask_of_the_right_rate_passes(judged):
    """The training-mode checks hold for another mask of the same rate, and fail for the other rate's output."""
    plans, reference = judged
    for label in ("06", "07", "08"):
        plan, ours = plans[label], reference[label]
        index = next(index for index, check in enumerate(plan.checks) if check.run == "train")
        cases = ours["train"]["cases"]
        swapped = [dict(cases[0], output=cases[1]["output"]), dict(cases[1], output=cases[0]["output"])]
        assert not verdicts(plan, ours, "train", {"cases": swapped})[index].passed, label
    plan, ours = plans["08"], reference["08"]
    index = next(index for index, check in enumerate(plan.checks) if check.run == "train")
    redrawn = []
    for case, rate in zip(ours["train"]["cases"], judge_checks.DROPOUT_RATES, strict=True):
        keep = np.random.RandomState(5).random_sample(case["eval_output"].shape) >= rate
        redrawn.append(dict(case, output=(case["eval_output"] * keep / (1 - rate)).astype(np.float32)))
    result = verdicts(plan, ours, "train", {"cases": redrawn})[index]
    assert result.passed, result.message
    hard_coded = [dict(case, output=(case["eval_output"] * (case["output"] != 0) / 0.5).astype(np.float32))
                  for case in ours["train"]["cases"]]
    assert not verdicts(plan, ours, "train", {"cases": hard_coded})[index].passed


def test_attention_with_another_dropout_mask_of_the_right_rate_keeps_the_training_mode_check(judged):
    """What a compiled head gives (torch.compile draws its own masks) passes; no dropout, or the wrong scale, fails."""
    plans, reference = judged
    plan, ours = plans["06"], reference["06"]
    index = next(index for index, check in enumerate(plan.checks) if check.run == "train")
    run = next(run for run in plan.runs if run.id == "train")
    modules = judge.reference_modules(["06"])
    outputs = {"redrawn": [], "no dropout": [], "not rescaled": []}
    for case, arguments, rate in zip(ours["train"]["cases"], run.arguments["cases"], judge_checks.DROPOUT_RATES,
                                     strict=True):
        weights, values = judge_checks.attention_weights_and_values(
            modules, arguments["build"], arguments["weights"], arguments["inputs"][0])
        keep = np.random.RandomState(11).random_sample(weights.shape) >= rate
        outputs["redrawn"].append(dict(case, output=((weights * keep / (1 - rate)) @ values).astype(np.float32)))
        outputs["no dropout"].append(dict(case, output=(weights @ values).astype(np.float32)))
        outputs["not rescaled"].append(dict(case, output=((weights * keep) @ values).astype(np.float32)))
    for name, cases in outputs.items():
        result = verdicts(plan, ours, "train", {"cases": cases})[index]
        assert result.passed == (name == "redrawn"), f"{name}: {result.message}"


# ---------------------------------------------------------------- honest variants keep full marks (one sandbox)


# torch.compile's "eager" backend: dynamo's wrappers (OptimizedModule, "_orig_mod" in the parameters' names) without
# the minutes inductor takes per shape on a busy machine. Inductor's own dropout masks are proven above.
COMPILED_HEAD = ("    def forward(self, input_tensor):",
                 "    @torch.compile(backend=\"eager\")\n    def forward(self, input_tensor):")
COMPILED_HEADS = ("[AttentionHead(self.head_size, config) for _ in range(self.num_attention_heads)]",
                  "[torch.compile(AttentionHead(self.head_size, config), backend=\"eager\")\n"
                  "             for _ in range(self.num_attention_heads)]")
TRAIN_REPORT = ('print(f"Step {step}: Train Loss {losses[\'train\']:.4f}, Validation Loss {losses[\'val\']:.4f}")',
                'print(f"[run] Step {step}: Train Loss {losses[\'train\']:.4f}, Validation Loss {losses[\'val\']:.4f}, '
                'lr {self.config.learning_rate}")')
TRAIN_PROGRESS = ("            self.train_step()\n",
                  "            loss = self.train_step()\n"
                  "            print(f\"step {step + 1} done, loss {loss:.3f}\")\n")


def variant(folder, module, *replacements):
    folder.mkdir(parents=True, exist_ok=True)
    for path in (REPO_ROOT / "reference").glob("*.py"):
        shutil.copyfile(path, folder / path.name)
    path = folder / f"{module}.py"
    source = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert source.count(old) == 1, f"{module}: {old!r} changed in reference/: update this proof"
        source = source.replace(old, new)
    path.write_text(source, encoding="utf-8")
    return folder


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="grading needs bubblewrap (bwrap)")
def test_compiled_modules_and_a_chatty_train_keep_full_marks(tmp_path):
    packages = {
        "compiled_head": variant(tmp_path / "compiled_head", MODULES["06"], COMPILED_HEAD),
        "compiled_heads": variant(tmp_path / "compiled_heads", MODULES["07"], COMPILED_HEADS),
        "chatty_train": variant(tmp_path / "chatty_train", MODULES["12"], TRAIN_REPORT, TRAIN_PROGRESS),
    }
    items = [("compiled_head", "06"), ("compiled_heads", "07"), ("chatty_train", "12")]
    results = judge.judge_packages(packages, items)
    short = {f"{package}/{label}": [f"{check.name}: {check.message}" for check in results[package, label].checks
                                    if not check.passed] + results[package, label].notes
             for package, label in items}
    assert not any(short.values()), short


# ---------------------------------------------------------------- types: as strict as the chapter's tests, no stricter


def test_types_are_judged_as_strictly_as_the_chapters_tests_judge_them():
    from kata_tools.grading import steps
    from kata_tools.grading.compare import differs

    floats, ids = np.array([1.0, 2.0], dtype=np.float32), np.array([1, 2])
    assert differs([1.0, 2.0], floats) and "not a tensor" in differs([1.0, 2.0], floats)
    assert differs(ids.astype(np.float32), ids) and differs(floats.astype(np.int64), floats)
    assert differs(floats.astype(np.float64), floats) is None  # any float width
    assert differs(True, 1.0) and differs(floats, 1.0) and differs(3, 3.0) is None

    def judged(compare, theirs, ours):
        return compare({"output": theirs}, {"output": ours})

    assert judged(steps.same_value, 2, 2.0) and judged(steps.same_value, np.float32(2.0), 2.0)  # .item(): a float
    assert judged(steps.same_value, 90.0, 90) and judged(steps.same_value, 2.5, 2.5) is None
    # should_evaluate is read by `if`; vocabulary and encode by list(): the tests accept these, so does the judge.
    for truthy in (True, 1, np.array(True), np.array([1])):
        assert judged(steps.same_truth, truthy, True) is None and judged(steps.same_truth, truthy, False)
    assert judged(steps.same_truth, "yes", True) and judged(steps.same_truth, None, False)
    assert judged(steps.same_sequence, "abc", ["a", "b", "c"]) is None
    assert judged(steps.same_sequence, np.array([3, 1]), [3, 1]) is None
    assert judged(steps.same_sequence, np.array([3.0, 1.0]), [3, 1]) and judged(steps.same_sequence, "31", [3, 1])


def test_sampling_that_never_picks_the_unlikely_ids_is_told_apart_from_sampling_the_whole_softmax():
    """compare._tail_problem: for every rank, the share of ids outside the likeliest must match their mass."""
    from kata_tools.grading.compare import _tail_problem

    random = torch.Generator().manual_seed(5)
    p = torch.softmax(torch.linspace(0.0, 1.5, 9, dtype=torch.float64), dim=-1).repeat(400, 1)  # (N, V)
    whole = torch.multinomial(p, 1, generator=random)
    top_5 = torch.multinomial(p.masked_fill(p < p.sort(dim=-1, descending=True).values[:, 4:5], 0), 1,
                              generator=random)
    assert _tail_problem(p, p.gather(1, whole).squeeze(1), 5.0) is None
    problem = _tail_problem(p, p.gather(1, top_5).squeeze(1), 5.0)
    assert problem and "likeliest came up too rarely" in problem, problem
