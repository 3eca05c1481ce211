"""The mistakes gallery and the alternatives gallery: run them, report, keep the README current.

    python -m kata_tools.dev.mistakes                  every mistake: which test catches it, what it says
    python -m kata_tools.dev.mistakes --alternatives   every alternative against its chapter and the later ones
    python -m kata_tools.dev.mistakes --readme         rewrite the README's table from a fresh run
    python -m kata_tools.dev.mistakes 06 11            only the entries of chapters 06 and 11

A mistake runs against its own chapter's test file only, so that the test
that catches it is in the chapter a learner is working on; the tests marked
``training`` (chapter 12's run to a loss threshold) are left out, since a
faster test catches every mistake, unless the entry says ``TRAINING = True``.
An alternative runs against its chapter and every later one, training
included (unless it says ``TRAINING = False``), since the later chapters
build on it.

Each pytest run costs little; importing torch costs about two seconds. So
the entries are run in batches, one interpreter per batch, several pytest
sessions in each (``run`` below); the batches run side by side.
"""

import argparse
import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata_tools.chapters import CHAPTERS, REPO_ROOT, chapter_of_path
from kata_tools.outcomes import OutcomeRecorder

GALLERY = REPO_ROOT / "gallery"
KINDS = {"mistake": "mistakes", "alternative": "alternatives"}


@dataclass(frozen=True)
class Entry:
    """One package of the gallery."""

    kind: str  # "mistake" or "alternative"
    name: str  # its directory, e.g. "chapter06_no_causal_mask"
    chapter: object  # the Chapter whose module it replaces
    title: str  # MISTAKE or ALTERNATIVE: what it does, in a few words
    expected_words: tuple = ()  # a mistake's failure message must contain each (case-insensitive)
    training: bool = False  # also run the tests marked `training`
    known_gap: str = ""  # KNOWN_GAP: why the tests do not catch (or accept) it yet, and the proposed fix

    @property
    def package(self):
        return f"gallery.{KINDS[self.kind]}.{self.name}"

    def test_files(self):
        if self.kind == "mistake":
            chapters = [self.chapter]
        else:
            chapters = [entry for entry in CHAPTERS if entry.number >= self.chapter.number]
        return [str(entry.test_file.relative_to(REPO_ROOT)) for entry in chapters if entry.test_file.exists()]


class GalleryError(Exception):
    pass


def load_entry(kind, directory):
    modules = sorted(path.stem for path in directory.glob("chapter*.py"))
    chapters = [chapter_of_path(module) for module in modules]
    if len(modules) != 1 or chapters[0] is None or chapters[0].module != modules[0]:
        raise GalleryError(
            f"{directory.relative_to(REPO_ROOT)} should hold exactly one chapter module named like katas/, "
            f"it holds {modules}"
        )
    package = importlib.import_module(f"gallery.{KINDS[kind]}.{directory.name}")
    title_name = kind.upper()
    title = getattr(package, title_name, None)
    if not isinstance(title, str) or not title:
        raise GalleryError(f"{package.__name__} should say what it is: {title_name} = \"...\"")
    words = tuple(getattr(package, "EXPECTED_WORDS", ()))
    if kind == "mistake" and not words:
        raise GalleryError(
            f"{package.__name__} should declare EXPECTED_WORDS, the words its failure message must contain"
        )
    # An alternative runs every later test, chapter 12's training included (a few seconds on one thread):
    # no other test runs backward through the whole model, or feeds it the DataLoader's batches.
    training = bool(getattr(package, "TRAINING", kind == "alternative"))
    return Entry(kind, directory.name, chapters[0], title, words, training, getattr(package, "KNOWN_GAP", ""))


def entries(kind, chapters=None):
    """The gallery's entries of one kind, in chapter order; ``chapters`` (labels) narrows them."""
    folder = GALLERY / KINDS[kind]
    found = [
        load_entry(kind, path.parent)
        for path in sorted(folder.glob("*/__init__.py"))
    ]
    found.sort(key=lambda entry: (entry.chapter.number, entry.name))
    if chapters:
        wanted = {f"{int(label):02d}" for label in chapters}
        found = [entry for entry in found if entry.chapter.label in wanted]
    return found


# ---------------------------------------------------------------- running


def _forget_test_modules():
    """Drop the test modules imported by an earlier session, so none keeps state (lru_cache) across entries."""
    tests = str(REPO_ROOT / "tests")
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(tests):
            del sys.modules[name]


class _Recorder(OutcomeRecorder):
    """The outcomes plugin's records, kept in run order (the file order of the tests) instead of written."""

    def pytest_sessionfinish(self, session):
        pass


def run_here(entry):
    """Run ``entry``'s tests in this interpreter; return {"tests": {id: record}, "exit_code", "seconds", "output"}."""
    import pytest

    files = entry.test_files()
    if not files:
        missing = f"no test file for chapter {entry.chapter.label}"
        return {"tests": {}, "exit_code": 5, "seconds": 0.0, "output": missing}
    _forget_test_modules()
    os.environ["KATA_IMPL"] = entry.package
    recorder = _Recorder(os.devnull)
    # --tb=native: pytest's own tracebacks read the source of every frame (torch's too), a second per failure.
    # no:unraisableexception: its clean-up runs gc.collect() twice per session, 0.3 s with torch loaded.
    arguments = [*files, "-q", "--tb=native", "-p", "no:cacheprovider", "-p", "no:xdist",
                 "-p", "no:unraisableexception", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    if not entry.training:
        arguments += ["-m", "not training"]
    output = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(output):
        exit_code = pytest.main(arguments, plugins=[recorder])
    return {
        "tests": recorder.results,
        "exit_code": int(exit_code),
        "seconds": round(time.perf_counter() - started, 2),
        "output": output.getvalue()[-4000:],
    }


def run_batch(batch, threads=1):
    """Run a batch of entries one after another in a fresh interpreter; return {package: result}."""
    if not batch:
        return {}
    with tempfile.TemporaryDirectory() as folder:
        results_file = Path(folder) / "results.json"
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        environment.pop("PYTEST_XDIST_WORKER", None)
        environment.pop("PYTEST_ADDOPTS", None)
        completed = subprocess.run(
            [sys.executable, "-m", "kata_tools.dev.mistakes", "run", f"--json={results_file}", f"--threads={threads}",
             *[f"{entry.kind}:{entry.name}" for entry in batch]],
            cwd=REPO_ROOT, env=environment, capture_output=True, text=True,
        )
        if not results_file.exists():
            raise GalleryError(
                f"the gallery run wrote no results (exit code {completed.returncode}):\n"
                f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
            )
        return json.loads(results_file.read_text())


def run_all(selected, jobs=2):
    """Run every selected entry, ``jobs`` interpreters side by side; return {package: result}."""
    import concurrent.futures

    jobs = max(1, min(jobs, len(selected)))
    # Longest first, dealt round-robin: the batches end at about the same time.
    ordered = sorted(selected, key=lambda entry: (-len(entry.test_files()), -entry.training))
    batches = [ordered[index::jobs] for index in range(jobs)]
    threads = 1 if jobs > 1 else max(1, os.cpu_count() or 1)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for batch_results in pool.map(lambda batch: run_batch(batch, threads), batches):
            results.update(batch_results)
    return results


# ---------------------------------------------------------------- verdicts


@dataclass
class Verdict:
    entry: Entry
    ok: bool
    problem: str = ""  # why not ok, in a sentence a maintainer can act on
    test: str = ""  # the test that caught the mistake (or rejected the alternative)
    message: str = ""  # what that test says
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def first_line(message):
    """The message's first line, without the exception class a learner does not need."""
    line = next((line.strip() for line in message.splitlines() if line.strip()), "")
    for prefix in ("AssertionError: ", "Failed: "):
        if line.startswith(prefix):
            line = line[len(prefix):]
    return line


def learner_text(message):
    """The whole message a learner reads, on one line: without pytest's "assert ..." explanation after it."""
    lines = []
    for line in message.splitlines():
        if line.startswith("assert ") or line.startswith("+  where"):
            break
        lines.append(line.strip())
    text = " ".join(line for line in lines if line)
    for prefix in ("AssertionError: ", "Failed: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text


def excerpt(message, width):
    return message if len(message) <= width else message[: width - 1].rstrip() + "…"


def excerpt_naming(message, words, width):
    """At most ``width`` characters of the message, showing the sentence that names ``words``.

    A diagnosis often comes at the end ("... It matches post-norm ..."): then
    the excerpt starts at the sentence that holds the words.
    """
    text = learner_text(message)
    lowered = text.lower()
    if not words or has_words(lowered[:width - 1], words):
        return excerpt(text, width)
    first_word = words[0].lower()
    fallback = None
    position = lowered.find(first_word)
    while position >= 0:
        start = max(text.rfind(". ", 0, position), text.rfind(": ", 0, position))
        start = start + 2 if start >= 0 else 0
        shown = excerpt(("… " if start else "") + text[start:], width)
        if has_words(shown, words):
            return shown
        fallback = fallback or shown
        position = lowered.find(first_word, position + 1)
    return fallback or excerpt(text, width)


def has_words(message, words):
    lowered = message.lower()
    return all(word.lower() in lowered for word in words)


def judge(entry, result):
    tests = result["tests"]
    counts = {outcome: sum(1 for record in tests.values() if record["outcome"] == outcome)
              for outcome in ("passed", "failed", "skipped")}
    verdict = Verdict(entry, ok=False, seconds=result["seconds"], counts=counts)
    if result["exit_code"] not in (0, 1) or not tests:
        verdict.problem = (
            f"pytest did not run the tests (exit code {result['exit_code']}): "
            + (first_line(result["output"].strip().splitlines()[-1]) if result["output"].strip() else "no output")
        )
        return verdict
    failed = [(test, record) for test, record in tests.items() if record["outcome"] == "failed"]
    if entry.kind == "alternative":
        chapters_run = {record["chapter"] for record in tests.values()}
        missing = [path for path in entry.test_files() if chapter_of_path(path).label not in chapters_run]
        if failed:
            test, record = failed[0]
            verdict.test, verdict.message = test, learner_text(record["message"])
            verdict.problem = f"rejected by {len(failed)} test(s), first {test}: {first_line(record['message'])}"
        elif missing:
            verdict.problem = f"no test of {missing} ran"
        else:
            verdict.ok = True
        return verdict
    if not failed:
        verdict.problem = f"NOT CAUGHT: all {counts['passed']} tests of chapter {entry.chapter.label} pass"
        return verdict
    stubs = [test for test, record in failed if record["stub"]]
    naming = [(test, record) for test, record in failed if has_words(record["message"], entry.expected_words)]
    test, record = (naming or failed)[0]
    verdict.test, verdict.message = test, learner_text(record["message"])
    if stubs:
        verdict.problem = f"failed as a stub ('not written yet') in {stubs[0]}: the entry is incomplete"
    elif not naming:
        verdict.problem = (
            f"caught, but no failure message contains {list(entry.expected_words)}; "
            f"{len(failed)} failed, first {test}: {first_line(record['message'])}"
        )
    else:
        verdict.ok = True
    return verdict


def surprises(verdicts):
    """What must fail a check: entries not as they should be, unless a KNOWN_GAP says why, and closed gaps.

    A KNOWN_GAP entry that is caught (or accepted) now is a surprise too: its
    KNOWN_GAP line must go, so that the check guards it from then on.
    """
    found = []
    for verdict in verdicts:
        entry = verdict.entry
        if not verdict.ok and not entry.known_gap:
            found.append(f"{entry.package} ({entry.title}): {verdict.problem}")
        elif verdict.ok and entry.known_gap:
            done = "caught" if entry.kind == "mistake" else "accepted"
            found.append(f"{entry.package} ({entry.title}) is {done} now: delete KNOWN_GAP from its __init__.py")
    return found


def known_gaps(verdicts):
    return [verdict for verdict in verdicts if verdict.entry.known_gap and not verdict.ok]


# ---------------------------------------------------------------- command line


def _run_command(arguments):
    """``run``: the worker that ``run_batch`` starts; runs the named entries here and writes their results."""
    if arguments.threads:
        import torch

        torch.set_num_threads(arguments.threads)
    results = {}
    for spec in arguments.entries:
        kind, _, name = spec.partition(":")
        entry = load_entry(kind, GALLERY / KINDS[kind] / name)
        try:
            results[entry.package] = run_here(entry)
        except Exception:  # one broken entry must not hide the results of the others
            import traceback

            results[entry.package] = {"tests": {}, "exit_code": 3, "seconds": 0.0, "output": traceback.format_exc()}
    Path(arguments.json).write_text(json.dumps(results), encoding="utf-8")


def main(argv=None):
    from .gallery_report import console, console_table, readme_block, write_readme

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.mistakes run")
        parser.add_argument("entries", nargs="+", help="kind:name, e.g. mistake:chapter06_no_causal_mask")
        parser.add_argument("--json", required=True)
        parser.add_argument("--threads", type=int, default=0)
        return _run_command(parser.parse_args(argv[1:]))

    parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.mistakes", description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="only these chapters, e.g. 06 11")
    parser.add_argument("--alternatives", action="store_true", help="run the alternatives instead of the mistakes")
    parser.add_argument("--readme", action="store_true", help="run everything and rewrite the README's table")
    parser.add_argument("--jobs", type=int, default=2, help="interpreters side by side (default 2)")
    parser.add_argument("--width", type=int, default=100, help="cut messages to this many characters")
    arguments = parser.parse_args(argv)

    started = time.perf_counter()
    kinds = ["mistake", "alternative"] if arguments.readme else (
        ["alternative"] if arguments.alternatives else ["mistake"])
    selected = {kind: entries(kind, None if arguments.readme else arguments.chapters) for kind in kinds}
    results = run_all([entry for kind in kinds for entry in selected[kind]], arguments.jobs)
    verdicts = {kind: [judge(entry, results[entry.package]) for entry in selected[kind]] for kind in kinds}
    every_verdict = [verdict for kind in kinds for verdict in verdicts[kind]]
    bad = [verdict for verdict in every_verdict if not verdict.ok]
    out = console()
    for kind in kinds:
        out.print(console_table(verdicts[kind], arguments.width))
        out.print()
    if arguments.readme:
        write_readme(readme_block(verdicts["mistake"], verdicts["alternative"]))
        out.print(f"README.md: table rewritten ({len(verdicts['mistake'])} mistakes).", markup=False)
    total = sum(len(verdicts[kind]) for kind in kinds)
    summary = f"{total - len(bad)} of {total} entries as they should be ({time.perf_counter() - started:.0f} s)"
    out.print(summary + ("." if not bad else f"; {len(bad)} not."), style="green" if not bad else "red",
              markup=False)
    gaps = known_gaps(every_verdict)
    if gaps:
        out.print(f"Known gaps ({len(gaps)}, each with KNOWN_GAP in its __init__.py):", style="yellow", markup=False)
        for verdict in gaps:
            out.print(f"  {verdict.entry.package}: {verdict.entry.known_gap}", markup=False)
    unexpected = surprises(every_verdict)
    if unexpected:
        out.print(f"To fix ({len(unexpected)}):", style="bold red", markup=False)
        for line in unexpected:
            out.print(f"  {line}", markup=False)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
