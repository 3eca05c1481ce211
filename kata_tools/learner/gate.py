"""``kata chapterNN`` (``make chapterNN``): run chapter NN's tests, once every earlier chapter is green.

Earlier chapters remembered green in ``.kata/`` for the files as they are now
(see kata_tools.learner.state) are not run again; the others run first, in the
same pytest session, in order. When one of them has a failing test, the
session stops before the next chapter and the last line says which chapter
to finish first. So a chapter command costs about what chapter NN's own
tests cost, once the earlier chapters are green and unchanged.

    python -m kata_tools.learner.gate 06 [--test NAME] [extra pytest arguments]

``--test NAME`` runs only that test of chapter NN (``kata chapter06 --test ...``, ``make chapter06 TEST=...``);
a NAME that is no test's whole name runs the chapter's tests whose names contain it (``--test vocabulary``).
"""

import ast
import os
import sys

import pytest

from kata_tools.chapters import CHAPTERS, chapter
from kata_tools.i18n import fill, t, title
from kata_tools.outcomes import OutcomeRecorder
from kata_tools.runner import command

TRACEBACK_STYLES = ("auto", "long", "short", "line", "native", "no")  # pytest's --tb choices


class ChapterGate(OutcomeRecorder):
    """Pytest plugin: stop at the first earlier chapter that is not green."""

    def __init__(self, target):
        super().__init__(os.devnull)
        self.target = target
        self.blocked_by = None

    def count(self, entry, outcome=None):
        """How many of ``entry``'s tests ran (with ``outcome``: ended passed, failed or skipped)."""
        return sum(1 for record in self.results.values()
                   if record["chapter"] == entry.label and outcome in (None, record["outcome"]))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        yield
        # Imported here, once pytest has loaded the plugin (and rewritten its asserts): importing it before
        # pytest starts makes pytest warn that it cannot rewrite a module already imported.
        from kata_tools.pytest_plugin import stop_after_red_chapter

        stopped = stop_after_red_chapter(
            item, nextitem, lambda entry: entry.number < self.target.number and self.count(entry, "failed"))
        self.blocked_by = stopped or self.blocked_by

    def final_lines(self):
        """What the gate says last, after the chapter summary: which chapter to finish first."""
        if self.blocked_by is None:
            return []
        entry = self.blocked_by
        failing = self.count(entry, "failed")
        return [
            t("gate.blocked", label=self.target.label, title=title(self.target), earlier=entry.label,
              earlier_title=title(entry), failing=failing, total=self.count(entry)),
            t("gate.finish", label=entry.label, command=command(f"chapter{entry.label}")),
        ]


def remembered_green(target, package=None):
    """The chapters before ``target`` remembered green for their files as they are now."""
    from kata_tools.learner.state import chapter_key, remembered

    green = []
    for entry in CHAPTERS[: target.number]:
        try:
            result = remembered(entry, package, chapter_key(entry, package))
        except Exception:  # a broken state file: run the chapter
            result = None
        if result is not None and result.done:
            green.append(entry)
    return green


def parse(argv):
    """(target chapter, test name or None, pytest arguments); SystemExit(2) with one line on bad input."""
    if not argv:
        print("usage: python -m kata_tools.learner.gate NN [--test NAME] [pytest arguments]", file=sys.stderr)
        raise SystemExit(2)
    value = argv.pop(0)
    try:
        target = chapter(value.removeprefix("chapter"))
    except ValueError:
        print(t("bad_chapter", value=value), file=sys.stderr)
        raise SystemExit(2) from None
    test = None
    if "--test" in argv:
        index = argv.index("--test")
        test = argv[index + 1] if index + 1 < len(argv) else ""
        del argv[index:index + 2]
        test = test.strip() or None
        if test is None or test.startswith("-"):
            print(t("gate.test_needs_name", label=target.label), file=sys.stderr)
            raise SystemExit(2)
    for index, word in enumerate(argv):  # pytest's own complaint is two lines about pytest.main()
        style = word.removeprefix("--tb=") if word.startswith("--tb=") else (
            argv[index + 1] if word == "--tb" and index + 1 < len(argv) else None)
        if style is not None and style not in TRACEBACK_STYLES:
            print(t("gate.bad_tb", value=style, styles=", ".join(TRACEBACK_STYLES)), file=sys.stderr)
            raise SystemExit(2)
    return target, test, argv


def tests_named(target, test):
    """The ``::`` selections of chapter ``target``'s tests for ``--test test``; [] when no test matches.

    A test's whole name (parameters and all: ``test_x[2]``) selects it; otherwise every top-level
    ``test_...`` function whose name contains ``test`` does, in file order.
    """
    tree = ast.parse(target.test_file.read_text(encoding="utf-8"))
    names = [node.name for node in tree.body
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")]
    if test.split("[", 1)[0] in names:
        return [test]
    return [name for name in names if test in name]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        target, test, extra = parse(argv)
    except SystemExit as stop:
        return stop.code
    selected = tests_named(target, test) if test else []
    if test and not selected:
        print(t("gate.no_such_test", label=target.label, name=test,
                file=f"{target.test_file.parent.name}/{target.test_file.name}"), file=sys.stderr)
        return 4  # pytest's code for a usage error
    from kata_tools.implementation import package_name
    from kata_tools.learner.state import label_ranges

    package = package_name()
    skipped = remembered_green(target, package)
    if skipped:
        print(t("gate.remembered", labels=label_ranges(entry.number for entry in skipped)), flush=True)
    files = [str(entry.test_file) for entry in CHAPTERS[: target.number] if entry not in skipped]
    files += [f"{target.test_file}::{name}" for name in selected] if test else [str(target.test_file)]
    gate = ChapterGate(target)
    code = pytest.main([*files, "-p", "no:randomly", *extra], plugins=[gate])
    lines = gate.final_lines()
    if lines:
        print()
        for line in lines:
            print(fill(line), flush=True)
    if gate.blocked_by is not None and code == pytest.ExitCode.INTERRUPTED:
        code = pytest.ExitCode.TESTS_FAILED  # stopped by an earlier chapter's red tests: red, not interrupted
    return int(code)


if __name__ == "__main__":
    from kata_tools.learner.cli import run

    sys.exit(run(main))
