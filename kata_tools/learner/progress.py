"""Where a learner stands: every chapter's state, remembered between runs.

A chapter is in one of four states:

    done         every one of its tests passes
    in progress  its kata file has been changed, and some test still fails
    not started  its kata file is still exactly the generated stubs
    locked       an earlier chapter is not done yet (``make chapterNN`` would stop there)

"Not started" is decided without running anything: the kata file is compared
with what ``kata_tools.dev.katagen`` generates from the reference. The other
states need test results. Every pytest session that runs a whole chapter
(``make chapterNN``, ``make next``, the Testing view in VS Code, plain
pytest) leaves them in ``.kata/results/<package>.json`` through the pytest plugin,
keyed by a hash of the files the chapter's result depends on: its kata
file, the earlier kata files it imports, its test file and the test helpers.
Change any of them and the remembered result no longer counts; the chapter
runs again the next time its state is asked for.

    python -m kata_tools.learner.cli progress          the table (``make progress``)
"""

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.i18n import display_width, pad, t, title
from kata_tools.implementation import package_name
from kata_tools.learner.state import (
    DONE,
    IN_PROGRESS,
    LOCKED,
    NOT_STARTED,
    Step,
    _load_json,
    chapter_functions,
    chapter_key,
    current_step,
    function_line,
    is_untouched,
    label_ranges,
    own_state,
    remember,
    remembered,
    results_from_outcomes,
    steps_done,
)
from kata_tools.runner import command


def pytest_arguments(test_files, *extra):
    return [*[str(path) for path in test_files], *extra]


def pytest_command(test_files, *extra):
    return [sys.executable, "-m", "pytest", *pytest_arguments(test_files, *extra)]


def run_quietly(entries, package=None):
    """Run the chapters' tests in one session, output hidden; remember and return their results.

    Results are recorded by the pytest plugin in the session itself; the
    outcomes file (``kata_tools.outcomes``) backs it up for any chapter the
    plugin did not record.
    """
    package = package or package_name()
    entries = [entry for entry in entries if entry.test_file.exists()]
    if not entries:
        return {}
    keys = {entry.label: chapter_key(entry, package) for entry in entries}
    print(t("progress.running", labels=label_ranges(entry.number for entry in entries)), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="kata-progress-") as scratch:
        outcomes_path = Path(scratch) / "outcomes.json"
        completed = subprocess.run(
            pytest_command([entry.test_file for entry in entries], "-q", "-p", "no:cacheprovider",
                           "-p", "kata_tools.outcomes", f"--outcomes-json={outcomes_path}"),
            cwd=REPO_ROOT, env={**os.environ, "KATA_IMPL": package}, capture_output=True, text=True,
        )
        outcomes = _load_json(outcomes_path)
    if completed.returncode not in (0, 1) or not outcomes:
        print(t("progress.run_failed", code=completed.returncode), file=sys.stderr)
        print("\n".join((completed.stdout + completed.stderr).strip().splitlines()[-15:]), file=sys.stderr)
    found = {}
    backup = results_from_outcomes(outcomes)
    for entry in entries:
        result = remembered(entry, package, keys[entry.label])
        if result is None and entry.label in backup:
            result = backup[entry.label]
            remember(package, {entry.label: (keys[entry.label], result)})
        if result is not None:
            found[entry.label] = result
    return found


def run_visibly(entries, package=None, extra=(), stop_after_red=False, warm=None):
    """Run chapters' tests with their output on the terminal; return pytest's exit status.

    ``warm`` (a ``kata_tools.learner.warm.WarmPytest``) runs them in a fork of a process that has
    torch and the tools imported already; without it, or if it has died, in a fresh interpreter.
    """
    environment = {**os.environ, "KATA_IMPL": package or package_name()}
    if stop_after_red:
        environment[STOP_AFTER_RED_VARIABLE] = "1"
    files = [entry.test_file for entry in entries]
    code = None
    if warm is not None:
        try:
            code = warm.run(pytest_arguments(files, *extra), environment)
        except OSError:
            pass
    if code is None:
        code = subprocess.run(pytest_command(files, *extra), cwd=REPO_ROOT, env=environment).returncode
    # a run stopped after a red chapter is red (1), not interrupted (2): the exit status tells the two apart
    return 1 if stop_after_red and code == 2 else code


# ---------------------------------------------------------------- states
@dataclass
class ChapterStatus:
    entry: object
    state: str
    result: object = None  # ChapterResult or None when unknown
    untouched: bool = False
    blocked_by: object = None  # the first earlier chapter that is not done

    @property
    def green(self):
        return self.result.green if self.result else 0

    @property
    def total(self):
        return self.result.total if self.result else None


def statuses(package=None, run=True, upto=None):
    """Every chapter's status, in order; runs the chapters whose remembered result is stale.

    ``upto``: stop after this chapter (later ones are not looked at).
    """
    package = package or package_name()
    entries = [entry for entry in CHAPTERS if upto is None or entry.number <= upto.number]
    keys = {entry.label: chapter_key(entry, package) for entry in entries}
    results = {entry.label: remembered(entry, package, keys[entry.label]) for entry in entries}
    stale = [entry for entry in entries if results[entry.label] is None and keys[entry.label]]
    if run and stale:
        results.update(run_quietly(stale, package))
    found = []
    blocked_by = None
    for entry in entries:
        untouched = is_untouched(entry, package)
        state = own_state(results.get(entry.label), untouched)
        status = ChapterStatus(entry, LOCKED if blocked_by else state, results.get(entry.label), untouched, blocked_by)
        found.append(status)
        if state != DONE and blocked_by is None:
            blocked_by = entry
    return found


def find_current(package=None):
    """The first chapter that is not done, as a ChapterStatus (None when all are done).

    Runs, in one quiet session, only the stale chapters that could be the
    answer: those before the first chapter already known not to be done
    (remembered red, or still the stubs, which are never green).
    """
    package = package or package_name()
    keys = {entry.label: chapter_key(entry, package) for entry in CHAPTERS}
    stale = []
    for entry in CHAPTERS:
        result = remembered(entry, package, keys[entry.label])
        if result is None and keys[entry.label] and not is_untouched(entry, package):
            stale.append(entry)
        elif result is None or not result.done:
            break
    if stale:
        run_quietly(stale, package)
    return current_chapter(statuses(package, run=False))


def current_chapter(found):
    """The first status that is not done, or None when all are."""
    return next((status for status in found if status.state != DONE), None)


# ---------------------------------------------------------------- the table
def _use_colour(stream):
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


COLOURS = {DONE: "32", IN_PROGRESS: "33", NOT_STARTED: "0", LOCKED: "2"}


def _colour(text, code, enabled):
    return f"\033[{code}m{text}\033[0m" if enabled and code != "0" else text


def _bar_characters(stream):
    encoding = (getattr(stream, "encoding", None) or "").lower()
    return ("█", "░") if "utf" in encoding else ("#", "-")


def progress_bar(fraction, width=30, characters=("█", "░")):
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return characters[0] * filled + characters[1] * (width - filled)


def render_table(found, package=None, stream=None):
    """The progress table as text."""
    stream = stream or sys.stdout
    package = package or package_name()
    colour = _use_colour(stream)
    headers = [t("progress.col.chapter"), t("progress.col.builds"), t("progress.col.state"),
               t("progress.col.steps"), t("progress.col.green")]
    rows = []
    for status in found:
        green = f"{status.green}/{status.total}" if status.total else t("progress.no_tests")
        steps = _steps_cell(status)
        rows.append([status.entry.label, title(status.entry), t(f"state.{status.state}"), steps, green, status.state])
    widths = [max(display_width(row[column]) for row in [headers, *rows]) for column in range(5)]

    def line(cells, state=None):
        text = "  ".join(pad(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        return _colour(text, COLOURS[state], colour) if state else text

    lines = [t("progress.title") + ("" if package == "katas" else " " + t("progress.package", package=package)), ""]
    lines.append("  " + line(headers))
    lines += ["  " + line(row[:5], row[5]) for row in rows]
    green = sum(status.green for status in found)
    total = sum(status.total or 0 for status in found)
    done = sum(1 for status in found if status.state == DONE)
    bar = progress_bar(green / total if total else 0.0, characters=_bar_characters(stream))
    lines += ["", f"  {_colour(bar, '32', colour)}  {round(100 * green / total) if total else 0}%",
              "  " + t("progress.totals", green=green, total=total, done=done, chapters=len(found)), ""]
    current = current_chapter(found)
    if current is None:
        lines.append(t("progress.all_done", command=command("train")))
    else:
        lines.append(t("progress.next", label=current.entry.label, title=title(current.entry), command=command("next")))
        step = current_step(current.entry, current.result, package) if current.result else None
        if step is None and current.untouched:
            functions = chapter_functions(current.entry)
            step = Step(1, len(functions), functions[0], function_line(current.entry, functions[0], package))
        if step is not None:
            lines.append("  " + t("progress.step", label=current.entry.label, index=step.index, count=step.count,
                                  function=step.function, where=step.where))
    return "\n".join(lines)


def _steps_cell(status):
    """"3/18": functions done of the chapter's functions; "0/18" while untouched; "-" when unknown."""
    try:
        counted = steps_done(status.entry, status.result)
        if counted is None and status.result is not None and status.result.done:
            counted = (len(chapter_functions(status.entry)),) * 2
        if counted is None and status.untouched:
            counted = 0, len(chapter_functions(status.entry))
    except (OSError, SyntaxError, ValueError):
        counted = None
    return f"{counted[0]}/{counted[1]}" if counted else "-"


def show_progress(package=None):
    found = statuses(package)
    print(render_table(found, package))
    return 0


# ---------------------------------------------------------------- make next
STOP_AFTER_RED_VARIABLE = "KATA_STOP_AFTER_RED"


def next_candidates(package=None):
    """The chapters ``make next`` runs: from the first chapter not known to be done, every one
    whose remembered result is stale, up to the first chapter known not to be done (remembered
    red, or still the stubs). [] when every chapter is done."""
    package = package or package_name()
    candidates = []
    for entry in CHAPTERS:
        result = remembered(entry, package)
        if result is not None and result.done:
            continue
        candidates.append(entry)
        if result is not None or is_untouched(entry, package) or not entry.test_file.exists():
            break
    return candidates


def run_next(package=None, pinned=None, extra=(), warm=None):
    """Run the first chapter that is not done (or ``pinned``), with its output shown.

    Chapters remembered as done with unchanged files are skipped; stale ones
    before the current chapter run in the same session, which stops after
    the first chapter that is not green.
    """
    package = package or package_name()
    if pinned is not None:
        print(t("next.running", label=pinned.label, title=title(pinned)), flush=True)
        return run_visibly([pinned], package, extra, warm=warm)
    candidates = [entry for entry in next_candidates(package) if entry.test_file.exists()]
    if not candidates:
        missing = [entry for entry in next_candidates(package) if not entry.test_file.exists()]
        print(t("hint.no_tests", label=missing[0].label) if missing
              else t("progress.all_done", command=command("train")))
        return 0
    if len(candidates) == 1:
        print(t("next.running", label=candidates[0].label, title=title(candidates[0])), flush=True)
    else:
        print(t("next.running_many", labels=label_ranges(entry.number for entry in candidates)), flush=True)
    return run_visibly(candidates, package, extra, stop_after_red=True, warm=warm)
