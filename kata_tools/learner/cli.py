"""The learner's commands, behind ``kata progress`` (``make progress``), ``next``, ``watch``, ``hint``, ``solution``,
``reset``, ``map``; the front door (kata_tools.cli) calls them.

    python -m kata_tools.learner.cli progress              every chapter's state, and a progress bar
    python -m kata_tools.learner.cli next                  run the first chapter that is not done
    python -m kata_tools.learner.cli watch [NN]            run it again on every save
    python -m kata_tools.learner.cli hint [NN] [--level N] the next hint for the first failing test
    python -m kata_tools.learner.cli solution NN [--yes]   the reference, once chapter NN is green
    python -m kata_tools.learner.cli reset NN [--yes]      chapter NN's kata back to its stubs
    python -m kata_tools.learner.cli map [--depth N]       the model as a tensor map (torchinfo)

All of them check the package named by KATA_IMPL (default: katas) and speak
the language of KATA_LANG (en, zh, ja; default from the locale).
"""

import argparse
import sys

from kata_tools.chapters import chapter
from kata_tools.i18n import t
from kata_tools.runner import command

COMMANDS = ("progress", "next", "watch", "hint", "solution", "reset", "map")


def _chapter(value, required=False, missing_key=None):
    if not value:
        if required:
            print(t(missing_key, command=command(missing_key.split(".")[0], chapter="06")), file=sys.stderr)
            raise SystemExit(2)
        return None
    try:
        return chapter(value)
    except ValueError:
        print(t("bad_chapter", value=value), file=sys.stderr)
        raise SystemExit(2) from None


def _confirmed(value):
    return str(value or "").strip().lower() in ("1", "y", "yes", "true")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.learner.cli", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("chapter", nargs="?", default="", help="a chapter number, e.g. 06 (empty: the current one)")
    parser.add_argument("--chapter", dest="chapter_option", default="", help="the chapter, as CHAPTER= of make")
    parser.add_argument("--yes", "--confirm", nargs="?", const="yes", default="",
                        help="confirm (solution before green, reset), as CONFIRM=yes of make")
    parser.add_argument("--level", type=int, default=None, help="hint: show this level (1-3)")
    parser.add_argument("--depth", type=int, default=3, help="map: how many levels of modules to show")
    parser.add_argument("--runs", type=int, default=None, help="watch: stop after this many runs")
    arguments = parser.parse_args(argv)
    arguments.chapter = arguments.chapter or arguments.chapter_option
    command = arguments.command

    if command == "progress":
        from kata_tools.learner.progress import show_progress

        return show_progress()
    if command == "next":
        from kata_tools.learner.progress import run_next

        return run_next(pinned=_chapter(arguments.chapter))
    if command == "watch":
        from kata_tools.learner.watch import watch

        return watch(pinned=_chapter(arguments.chapter), runs=arguments.runs)
    if command == "hint":
        from kata_tools.learner.hints import show_hint

        return show_hint(_chapter(arguments.chapter) and arguments.chapter, level=arguments.level)
    if command == "solution":
        from kata_tools.learner.solution import show_solution

        entry = _chapter(arguments.chapter, required=True, missing_key="solution.need_chapter")
        return show_solution(entry, confirmed=_confirmed(arguments.yes))
    if command == "reset":
        from kata_tools.learner.solution import reset_chapter

        entry = _chapter(arguments.chapter, required=True, missing_key="reset.need_chapter")
        return reset_chapter(entry, confirmed=_confirmed(arguments.yes))
    from kata_tools.learner.tensor_map import draw

    return draw(depth=arguments.depth)


def quiet_stdout():
    """After the reader of a pipe has gone (``make hint | head -3``), send what is left to /dev/null.

    Python would otherwise print a BrokenPipeError traceback when it flushes stdout at exit.
    """
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def run(entry_point, argv=None):
    """``entry_point(argv)``, with a closed pipe taken as "the reader has read enough" (exit status 0)."""
    try:
        status = entry_point(argv)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        quiet_stdout()
        return 0


if __name__ == "__main__":
    sys.exit(run(main))
