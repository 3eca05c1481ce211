"""Generate ``katas/`` from ``reference/``: one source of truth for both.

Each reference module marks the code a learner writes with a pair of comment
lines::

    # BEGIN SOLUTION
    ...
    # END SOLUTION

The kata is the reference with every such region replaced by one stub line,
at the same indentation, that names the function still to write::

    raise NotImplementedError("chapter 06: write AttentionHead.forward")

Everything else (module docstring, imports, classes, signatures, docstrings,
given guard clauses) is copied verbatim, so the two can never drift.

    python -m kata_tools.dev.katagen            rewrite katas/ from reference/
    python -m kata_tools.dev.katagen --check    exit 1 if katas/ differs (make test runs this)
    python -m kata_tools.dev.katagen --chapter 06 --to PATH
                                            write one stubbed chapter to PATH
"""

import argparse
import sys
from pathlib import Path

from kata_tools.chapters import CHAPTERS, REPO_ROOT, chapter
from kata_tools.runner import command
from kata_tools.stubs import BEGIN, END, MarkerError, stub_source  # noqa: F401  (BEGIN, END, MarkerError: re-exported)

KATAS_INIT = '''"""Your work: one module per chapter. Replace each ``raise NotImplementedError``.

Run ``make chapter00`` (or ``kata chapter00``, or ``python -m kata_tools chapter00``) to
start; ``make chapterNN`` checks chapter NN once every earlier chapter is green.
"""
'''


def expected_katas():
    """{path relative to the repo: text} of every file katas/ should hold."""
    files = {"katas/__init__.py": KATAS_INIT}
    for entry in CHAPTERS:
        source_path = entry.source_file("reference")
        files[f"katas/{entry.module}.py"] = stub_source(
            source_path.read_text(encoding="utf-8"), entry.label, str(source_path)
        )
    return files


def differences(root, expected, differs):
    """One line for each file of ``expected`` ({relative path: text}) missing under ``root`` or holding
    other text (``differs`` says what it should match): what a generated file's drift check reports."""
    problems = []
    for relative, text in expected.items():
        path = root / relative
        if not path.exists():
            problems.append(f"{relative} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{relative} differs from {differs}")
    return problems


def drift(root=REPO_ROOT):
    """Human-readable differences between katas/ and what reference/ generates."""
    expected = expected_katas()
    problems = differences(root, expected, "the stubs generated from reference/")
    for path in sorted((root / "katas").glob("*.py")):
        relative = f"katas/{path.name}"
        if relative not in expected:
            problems.append(f"{relative} has no counterpart in reference/")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.katagen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if katas/ is not what reference/ generates")
    parser.add_argument("--chapter", help="stub only this chapter (with --to)")
    parser.add_argument("--to", type=Path, help="where to write the stubbed chapter")
    arguments = parser.parse_args(argv)

    if arguments.chapter:
        entry = chapter(arguments.chapter)
        text = stub_source(entry.source_file("reference").read_text(encoding="utf-8"), entry.label)
        destination = arguments.to or entry.source_file("katas")
        destination.write_text(text, encoding="utf-8")
        print(f"wrote {destination}")
        return 0

    if arguments.check:
        problems = drift()
        for problem in problems:
            print(f"drift: {problem}", file=sys.stderr)
        if problems:
            print(f"katas/ and reference/ have drifted: edit reference/, then run `{command('katas')}`.",
                  file=sys.stderr)
            return 1
        print(f"katas/ matches reference/ ({len(CHAPTERS)} chapters)")
        return 0

    for relative, text in expected_katas().items():
        (REPO_ROOT / relative).write_text(text, encoding="utf-8")
    print(f"wrote katas/ from reference/ ({len(CHAPTERS)} chapters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
