"""The judge: decides every point, in its own process, never importing the student's code.

For each chapter it makes the inputs of the chapter's checks (``checks.py``),
runs the probes on ``reference/`` itself, and sends the same inputs to the
worker in the sandbox (``sandbox.py``), which runs them on a copy of the
student's ``katas/*.py`` and sends back plain data. Then it compares. The
student's results are read as untrusted data, by ``wire`` only (bounded in
bytes, lines, nesting, items, and each array's dtype, shape and size), and
a result that cannot be read fails its checks with the reason.

Time: each chapter has ``CHAPTER_SECONDS`` of wall-clock time (and as much
CPU time); the worker kills a chapter that runs over, and the judge kills
the whole sandbox if the worker itself stops answering, then starts a fresh
one for the chapters left. All of it stops after ``TOTAL_SECONDS``.
"""

import importlib
import math
import os
import select
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from ..chapters import CHAPTERS
from . import checks as chapter_checks
from . import compare, probes, sandbox, wire

CHAPTER_SECONDS = 60
START_SECONDS = 30  # a fresh sandbox imports torch first
GRACE_SECONDS = 15
MESSAGE_CHARACTERS = 2000  # of a student's error message
TOTAL_SECONDS = 540


@dataclass
class CheckResult:
    id: str
    name: str
    passed: bool
    message: str = ""


@dataclass
class ChapterResult:
    label: str
    checks: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0


class JudgeError(Exception):
    """The judge itself could not run (the reference failed a probe): never the student's fault."""


def reference_modules(labels):
    """{label: the reference module}, imported from the grading checkout."""
    by_label = {entry.label: entry for entry in CHAPTERS}
    return {label: importlib.import_module(f"reference.{by_label[label].module}") for label in labels}


def roundtrip(value, tensors):
    return wire.decode(wire.encode(value), tensors=tensors, limits=wire.TRUSTED)


def reference_outputs(plans, modules):
    """{label: {run id: outputs}} of the reference, computed here, in the judge's process."""
    outputs = {}
    with torch.random.fork_rng():
        for label, plan in plans.items():
            outputs[label] = {}
            for run in plan.runs:
                try:
                    produced = probes.run(modules[label], run.probe, roundtrip(run.arguments, tensors=True))
                except Exception as error:  # noqa: BLE001 - a broken reference must say so, not grade
                    raise JudgeError(f"the reference fails the judge's own probe {label}/{run.id}: "
                                     f"{type(error).__name__}: {error}") from error
                outputs[label][run.id] = roundtrip(produced, tensors=False)
    return outputs


def _request(plans, items, uid, chapter_seconds):
    chapters = []
    by_label = {entry.label: entry for entry in CHAPTERS}
    for package, label in items:
        runs = [{"id": run.id, "probe": run.probe, "arguments": wire.encode(run.arguments)}
                for run in plans[label].runs]
        chapters.append({"key": f"{package}/{label}", "package": package, "module": by_label[label].module,
                         "runs": runs, "cpu_seconds": math.ceil(chapter_seconds), "wall_seconds": chapter_seconds})
    return wire.encode({"chapters": chapters, "uid": uid, "max_processes": sandbox.EXTRA_PROCESSES if uid else None,
                        "katas_parent": "/job"})


def _kill(process):
    try:
        os.killpg(process.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass
    process.wait()


def run_in_sandbox(packages, plans, items, deadline, chapter_seconds=CHAPTER_SECONDS):
    """Run the probes of ``items`` ((package, label) pairs) on the kata copies in ``packages`` ({name: folder}).

    Returns ({"package/label": raw results}, {"package/label": why there are none}).
    """
    received, notes = {}, {}
    pending = [f"{package}/{label}" for package, label in items]
    while pending and time.monotonic() < deadline:
        with tempfile.TemporaryDirectory(prefix="kata-judge-") as temporary:
            job = Path(temporary) / "job"
            for name, folder in packages.items():
                (job / name).mkdir(parents=True)
                sandbox.copy_tree(Path(folder), job / name)
            uid = sandbox.sandbox_uid() if sandbox.run_as_root() else None
            left = [tuple(key.split("/")) for key in pending]
            sandbox.prepare_job(job, _request(plans, left, uid, chapter_seconds))
            read_end, write_end = os.pipe()
            try:
                process = sandbox.start(job, write_end)
            finally:
                os.close(write_end)
            try:
                started = _collect(process, read_end, pending, received, notes, deadline, chapter_seconds)
            finally:
                os.close(read_end)
                _kill(process)
                sandbox.release_uid(uid)
        if not started:
            raise JudgeError("the sandbox started but its worker ran no chapter (is torch importable there?): "
                             "this is a problem of the grading machine, not of the katas")
        pending = [label for label in pending if label not in received and label not in notes]
    for label in pending:
        notes.setdefault(label, f"not run: grading stopped after {TOTAL_SECONDS} s")
    return received, notes


def _collect(process, read_end, pending, received, notes, deadline, chapter_seconds):
    """Read the worker's lines until it is done, stops answering, or time runs out.

    Returns the keys of the chapters the worker started. A chapter that
    never started (the worker was killed by an earlier one) gets no note, so
    that a fresh sandbox runs it. Every line is read by ``wire`` (bounded);
    a chapter has ``chapter_seconds`` (and the grace) from its first
    "started", however often that is said again; at most ``4 * chapters + 8``
    lines are read from one sandbox, then it is stopped.
    """
    order = list(pending)
    position = 0
    started = set()
    refused = {}  # key: why a line of that chapter was not read

    def current():
        return order[position] if position < len(order) and order[position] in started else None

    def fail_current(note, first=False):  # a line of its results refused says more, unless ``first``
        if current() is not None:
            notes.setdefault(current(), note if first else refused.get(current(), note))
    chapter_deadline = time.monotonic() + START_SECONDS + chapter_seconds + GRACE_SECONDS
    lines = wire.Lines(max_lines=4 * len(order) + 8)
    while True:
        now = time.monotonic()
        limit = min(chapter_deadline, deadline)
        if now >= limit:
            if now >= deadline and position < len(order):
                notes.setdefault(order[position], f"not finished: grading stopped after {TOTAL_SECONDS} s")
            fail_current(f"ran past its {chapter_seconds:g} s and the sandbox stopped answering")
            return started
        ready, _, _ = select.select([read_end], [], [], min(1.0, limit - now))
        if not ready:
            continue
        chunk = os.read(read_end, 1 << 20)
        if not chunk:  # the sandbox is gone
            fail_current("the chapter's run ended without results (it crashed or was killed)")
            return started
        for line in lines.feed(chunk):
            try:
                frame = _frame(line)
            except wire.WireError as error:
                if current() is not None:
                    refused.setdefault(current(), f"its results were not read: {error}")
                continue
            if frame.get("done"):
                for label in order[position:]:
                    notes.setdefault(label, refused.get(
                        label, "the chapter's run ended without results (it crashed or was killed)"))
                return started | {"done"}
            key = frame.get("started", frame.get("key"))
            if key not in order[position:] or key in received:
                continue
            index = order.index(key)
            for skipped in order[position:index]:  # chapters the worker gave up on (crashed, or past their time)
                if skipped not in received:
                    notes.setdefault(skipped, refused.get(
                        skipped, f"no results: the chapter crashed or ran past its {chapter_seconds:g} s"))
            if "started" in frame:
                if key not in started:  # said again, it gives no more time
                    chapter_deadline = time.monotonic() + chapter_seconds + GRACE_SECONDS
                started.add(key)
                position = index
            else:
                received[key] = frame["results"]
                position = index + 1
        if lines.refused:
            fail_current(f"its results were not read: {lines.refused}", first=True)
            return started | {"refused"}


def _frame(line):
    """One of the worker's lines as {"started": key}, {"key": key, "results": {...}} or {"done": true}."""
    frame = wire.decode_line(line)
    if frame.get("done") is True:
        return {"done": True}
    if isinstance(frame.get("started"), str):
        return {"started": frame["started"]}
    if isinstance(frame.get("key"), str) and isinstance(frame.get("results"), dict):
        return {"key": frame["key"], "results": frame["results"]}
    raise wire.WireError("a line of results is none of started, results or done")


def differs_in_output(student, reference):
    problem = compare.differs(student.get("output"), reference["output"])
    return f"needs the right output first: {problem}" if problem else None


def judge_chapter(plan, reference, raw):
    """CheckResults of one chapter from the worker's raw results (untrusted) and the reference's outputs."""
    decoded = {}
    results = []
    raw = raw if isinstance(raw, dict) else {}
    for run in plan.runs:
        entry = raw.get(run.id)
        if not isinstance(entry, dict):
            decoded[run.id] = (None, "no result for this run")
        elif isinstance(entry.get("error"), str):
            decoded[run.id] = (None, entry["error"][:MESSAGE_CHARACTERS])
        elif isinstance(entry.get("outputs"), str):
            try:
                outputs = wire.decode(entry["outputs"])
                decoded[run.id] = (outputs, None) if isinstance(outputs, dict) else (None, "unreadable results")
            except wire.WireError as error:
                decoded[run.id] = (None, f"unreadable results: {error}")
        else:
            decoded[run.id] = (None, "unreadable results")
    for index, check in enumerate(plan.checks):
        outputs, error = decoded[check.run]
        if error is not None:
            results.append(CheckResult(f"{index:02d}", check.name, False, error))
            continue
        try:
            problem = check.compare(outputs, reference[check.run])
            if problem is None and check.needs:
                needed, error = decoded[check.needs]
                problem = error or differs_in_output(needed, reference[check.needs])
        except Exception as failure:  # noqa: BLE001 - malformed student results fail the check
            problem = f"unexpected results ({type(failure).__name__}: {str(failure)[:200]})"
        results.append(CheckResult(f"{index:02d}", check.name, problem is None, problem or ""))
    return results


@dataclass(frozen=True)
class Prepared:
    """The reference side of grading: each chapter's plan (its checks' inputs) and the reference's outputs.

    They depend only on the grading checkout, never on a fork: a class computes
    them once (``prepare``) and passes them to every fork's ``judge``. Read-only.
    """
    plans: dict
    outputs: dict


def prepare(labels):
    """``Prepared`` for the chapters ``labels`` ("00".."12"); raises JudgeError when the reference fails a probe."""
    labels = sorted(set(labels))
    modules = reference_modules(labels)
    plans = {label: chapter_checks.plan(label, modules) for label in labels}
    return Prepared(plans, reference_outputs(plans, modules))


def judge_packages(packages, items, chapter_seconds=CHAPTER_SECONDS, prepared=None):
    """Judge (package, label) ``items`` of the kata copies in ``packages``; return {(package, label): ChapterResult}.

    ``prepared``: the reference side (``prepare``) when already computed; it must cover every label of ``items``.
    """
    started = time.monotonic()
    labels = sorted({label for _, label in items})
    if prepared is None or not set(labels) <= set(prepared.plans):
        prepared = prepare(labels)
    plans, reference = prepared.plans, prepared.outputs
    raw, notes = run_in_sandbox(packages, plans, items, started + TOTAL_SECONDS, chapter_seconds)
    chapters = {}
    for package, label in items:
        key = f"{package}/{label}"
        result = ChapterResult(label)
        result.checks = judge_chapter(plans[label], reference[label], raw.get(key))
        if key in notes and key not in raw:
            result.notes.append(notes[key])
            for check in result.checks:
                check.message = notes[key] if check.message == "no result for this run" else check.message
        chapters[package, label] = result
    return chapters


def judge(katas, labels, chapter_seconds=CHAPTER_SECONDS, prepared=None):
    """Judge the kata copy in ``katas`` (a folder of plain files); return {label: ChapterResult}."""
    results = judge_packages({"katas": katas}, [("katas", label) for label in labels], chapter_seconds, prepared)
    return {label: result for (_, label), result in results.items()}
