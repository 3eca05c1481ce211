"""``make chapterNN``: run chapter NN's tests, once every earlier chapter is green.

All chapters up to NN run in one pytest session, in order (one torch import,
so the gate costs little more than the chapter itself). When an earlier
chapter has a failing test, the session stops before the next chapter and
says which chapter to finish first.

    python -m kata_tools.gate 06 [extra pytest arguments]
"""

import sys

import pytest

from .chapters import CHAPTERS, chapter, chapter_of_path


class ChapterGate:
    """Pytest plugin: stop at the first earlier chapter that is not green."""

    def __init__(self, target):
        self.target = target
        self.failed = {}  # chapter number -> failing test count
        self.total = {}
        self.blocked_by = None

    def pytest_runtest_logreport(self, report):
        entry = chapter_of_path(report.nodeid.split("::")[0])
        if entry is None:
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.total[entry.number] = self.total.get(entry.number, 0) + 1
        if report.failed:
            self.failed[entry.number] = self.failed.get(entry.number, 0) + 1

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        yield
        entry = chapter_of_path(item.path)
        next_entry = chapter_of_path(nextitem.path) if nextitem is not None else None
        chapter_done = next_entry is None or next_entry.number != entry.number
        if chapter_done and entry.number < self.target.number and self.failed.get(entry.number):
            self.blocked_by = entry
            item.session.shouldstop = f"chapter {entry.label} is not green yet"

    def pytest_terminal_summary(self, terminalreporter):
        write = terminalreporter.write_line
        if self.blocked_by is not None:
            entry = self.blocked_by
            failing = self.failed[entry.number]
            write("")
            write(
                f"Chapter {self.target.label} ({self.target.title}) builds on chapter {entry.label} "
                f"({entry.title}), which is not green yet: {failing} of {self.total.get(entry.number, failing)} "
                "of its tests fail (above).",
                red=True,
                bold=True,
            )
            write(f"Finish it first:  make chapter{entry.label}", bold=True)
        elif self.target.number > 0 and not any(self.failed.get(n) for n in range(self.target.number)):
            write(f"chapters 00-{self.target.number - 1:02d}: green")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: python -m kata_tools.gate NN [pytest arguments]", file=sys.stderr)
        return 2
    try:
        target = chapter(argv.pop(0))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    files = [str(entry.test_file) for entry in CHAPTERS[: target.number + 1]]
    return pytest.main([*files, "-p", "no:randomly", *argv], plugins=[ChapterGate(target)])


if __name__ == "__main__":
    sys.exit(main())
