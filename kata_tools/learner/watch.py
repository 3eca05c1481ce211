"""``make watch``: run the current chapter again every time a kata file is saved.

The watching is done by watchfiles (a maintained library built on the
operating system's file events), not by a polling loop of our own. Each run
is ``make next``'s: the first chapter that is not done, or the chapter given.

The runs are warm (``kata_tools.learner.warm``): torch, pytest and the tools
are imported once, in a process each run is forked from, so a save is
answered in about the time the tests themselves take; the katas and the tests
are imported afresh every run. Where fork is missing (Windows), or with
``KATA_WATCH_WARM=0``, every run starts a fresh interpreter instead.
``make bench-watch`` measures both.

    python -m kata_tools.learner.cli watch [NN]
"""

import importlib.util
import os
import sys
import time
from pathlib import Path

from kata_tools.chapters import REPO_ROOT
from kata_tools.i18n import t
from kata_tools.implementation import package_name
from kata_tools.learner.progress import run_next
from kata_tools.learner.state import package_directory, relative
from kata_tools.learner.warm import WarmPytest
from kata_tools.runner import command


def _clear_screen():
    if sys.stdout.isatty():
        print("\033[2J\033[H", end="", flush=True)


def watched_paths(package=None):
    return [package_directory(package or package_name()), REPO_ROOT / "tests"]


def warm_wanted():
    """Whether to fork runs from a warm process: yes unless KATA_WATCH_WARM is 0, no, off or false."""
    return os.environ.get("KATA_WATCH_WARM", "1").strip().lower() not in ("0", "no", "off", "false")


def watch(pinned=None, package=None, runs=None, extra=()):
    """Run, then re-run on every save; ``runs`` stops after that many runs (for scripts and checks)."""
    if importlib.util.find_spec("watchfiles") is None:
        print(t("watch.missing", python=sys.executable, command=command("watch")), file=sys.stderr)
        return 2
    # Forked before watchfiles is imported (and starts its threads), so that runs never inherit it.
    warm = WarmPytest.start(cwd=REPO_ROOT) if warm_wanted() else None
    try:
        from watchfiles import PythonFilter
        from watchfiles import watch as file_changes

        return _watch(file_changes, PythonFilter, warm, pinned, package, runs, extra)
    finally:
        if warm is not None:
            warm.close()


def _watch(file_changes, python_filter, warm, pinned, package, runs, extra):
    package = package or package_name()
    paths = [path for path in watched_paths(package) if path.exists()]
    shown = ", ".join(relative(path) + "/" for path in paths)

    def run_once(changed=()):
        _clear_screen()
        if changed:
            print(t("watch.changed", files=", ".join(sorted(changed))) + f"  ({time.strftime('%H:%M:%S')})")
        run_next(package, pinned, extra, warm=warm)
        print("\n" + t("watch.start", paths=shown), flush=True)

    count = 1
    try:
        run_once()
        if runs is not None and count >= runs:
            return 0
        for changes in file_changes(*paths, watch_filter=python_filter(), raise_interrupt=True):
            changed = {relative(Path(path)) for _, path in changes}
            run_once(changed)
            count += 1
            if runs is not None and count >= runs:
                break
    except KeyboardInterrupt:
        print("\n" + t("watch.stopped"))
    return 0
