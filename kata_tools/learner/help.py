"""``make help`` (and ``make`` alone): the commands, each with one line in the learner's language.

    python -m kata_tools.learner.help [--first 00 --last 12 --torch 2.13.0]

``help_text(runner="make")`` is the text; ``runner`` is what a learner types before a command's
name ("make", or another front door). Only the standard library is imported, so that the help
works before ``make setup`` has installed anything (the chapter range comes from the Makefile).
"""

import argparse

from kata_tools.i18n import N_, _

LEARN = (
    ("chapter{first} .. {runner} chapter{last}",
     N_("test one chapter (earlier chapters must be green; TEST=name, TB=long)")),
    ("progress", N_("every chapter's state and a progress bar")),
    ("next", N_("run the first chapter that is not done")),
    ("watch", N_("run it again every time you save a kata file")),
    ("hint", N_("a hint for the first failing test, one level at a time (CHAPTER=06)")),
    ("solution CHAPTER=06", N_("the reference, once chapter 06 is green (or CONFIRM=yes)")),
    ("reset CHAPTER=06", N_("put chapter 06's kata back to its stubs (asks first)")),
    ("map", N_("your model as a tensor map: shapes and parameters of every layer")),
    ("train", N_("train your GPT on Shakespeare into runs/ (STEPS=, RECIPE=tutorial, DEVICE=auto|cpu|cuda|mps)")),
    ("generate", N_('write text with the last complete run (PROMPT="ROMEO:" LENGTH=500 SEED= CHECKPOINT= DEVICE=)')),
    ("bench", N_("the default recipe against the tutorial's: time to val loss 1.85")),
)
MAINTAIN = (
    ("test", N_("the reference passes, every stub fails, katas/ matches reference/")),
    ("grade", N_("score katas/ in a bubblewrap sandbox: grade.json, JUnit, summary (MIN_SCORE=)")),
    ("grade FORK=path/to/clone", N_("the instructor's grade of a student's clone, with this checkout's judge")),
    ("bench-grade", N_("how long a solved fork takes to grade (at most 120 s on 2 cores)")),
    ("manifest", N_("refresh the grading manifest after changing kata_tools/grading/, reference/ or curriculum.toml")),
    ("katas", N_("regenerate katas/ from reference/")),
    ("messages", N_("rewrite kata_tools/locale/*/LC_MESSAGES/kata.mo after editing a kata.po")),
    ("curriculum", N_("rewrite the READMEs' chapter tables, example summary and the points from curriculum.toml")),
    ("bench-gate", N_("time make chapterNN against its tests alone (CHAPTERS_TO_BENCH=all or 00,06; target 1.2x)")),
    ("mistakes", N_("the mistakes gallery: which test catches each classic mistake, and what it says")),
    ("lint", N_("ruff over the repository")),
    ("lint-workflows", N_("check .github/workflows against GitHub's schema and audit them with zizmor")),
    ("data", N_("fetch and verify data/input.txt (TINYSHAKESPEARE_SOURCE=path or URL)")),
    ("setup", N_("create .venv with torch {torch} (CPU build; TORCH_PIP_ARGS= for PyPI's CUDA build) and the test "
                 "tools")),
)


def _section(title, entries, runner, values):
    commands = [f"{runner} {command.format(runner=runner, **values)}" for command, _line in entries]
    width = max(len(command) for command in commands) + 2  # commands are ASCII
    lines = [title]
    for command, (_command, line) in zip(commands, entries, strict=True):
        lines.append(f"  {command.ljust(width)}{_(line).format(**values)}")
    return lines


def help_text(runner="make", first="00", last="12", torch="2.13.0"):
    """The help, in the current language: the learner's commands, then the maintainers'."""
    values = {"first": first, "last": last, "torch": torch}
    return "\n".join(_section(_("Learn:"), LEARN, runner, values) + [""]
                     + _section(_("Maintain:"), MAINTAIN, runner, values))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.learner.help", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runner", default="make")
    parser.add_argument("--first", default="00")
    parser.add_argument("--last", default="12")
    parser.add_argument("--torch", default="2.13.0")
    args = parser.parse_args(argv)
    print(help_text(args.runner, args.first, args.last, args.torch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
