"""``make solution`` and ``make reset``: the answer once earned, and a fresh start.

    python -m kata_tools.learner.cli solution 06 [--yes]   the reference's code for chapter 06,
                                                     once chapter 06 is green (or with --yes)
    python -m kata_tools.learner.cli reset 06 [--yes]      chapter 06's kata back to its stubs,
                                                     after asking; the old file is kept in .kata/backups/
"""

import sys
import textwrap
import time

from kata_tools.i18n import fill, t, title
from kata_tools.implementation import package_name
from kata_tools.learner.progress import run_quietly
from kata_tools.learner.state import (
    is_untouched,
    kata_path,
    relative,
    remembered,
    state_directory,
    stub_text,
)
from kata_tools.runner import command
from kata_tools.stubs import solution_regions as regions_of


def ask(question, stream_in=None, out=None):
    """True for yes, False for no; None when nobody can answer (no terminal), without asking."""
    stream_in = stream_in or sys.stdin
    out = out or sys.stdout
    if not (hasattr(stream_in, "isatty") and stream_in.isatty()):
        return None
    out.write(question)
    out.flush()
    answer = stream_in.readline().strip().lower()
    return answer in ("y", "yes", "j", "ja", "是", "好", "はい", "うん")


def solution_regions(entry):
    """[(function, code)] of the reference's solution regions, in file order, dedented."""
    source = entry.source_file("reference").read_text(encoding="utf-8")
    return [(region.function, textwrap.dedent("".join(region.lines)).rstrip()) for region in regions_of(source)]


def show_solution(entry, confirmed=False, package=None, out=print, stream_in=None):
    package = package or package_name()
    result = remembered(entry, package)
    if result is None and entry.test_file.exists():
        result = run_quietly([entry], package).get(entry.label)
    green = result is not None and result.done
    if not green and not confirmed:
        out(fill(t("solution.not_green", label=entry.label, title=title(entry),
                   green=result.green if result else 0, total=result.total if result else "?",
                   command=command("hint", chapter=entry.label))))
        answer = ask(t("solution.ask"), stream_in)
        if answer is False:
            out(fill(t("solution.declined", label=entry.label, command=command("hint", chapter=entry.label))))
            return 0
        if not answer:
            out(fill(t("solution.confirm_how", label=entry.label,
                         command=command("solution", chapter=entry.label, confirm="yes"))))
            return 1
    reference = entry.source_file("reference")
    out(t("solution.header", label=entry.label, title=title(entry), path=relative(reference)))
    for function, code in solution_regions(entry):
        out("")
        out(f"  {function}")
        out(textwrap.indent(code, "      "))
    out("")
    out(t("solution.footer", path=relative(kata_path(entry, package))))
    return 0


def reset_chapter(entry, confirmed=False, package=None, out=print, stream_in=None):
    package = package or package_name()
    if package == "reference":
        out(t("reset.reference", package=package))
        return 2
    path = kata_path(entry, package)
    shown = relative(path)
    if path.exists() and is_untouched(entry, package):
        out(t("reset.untouched", path=shown))
        return 0
    backups = state_directory() / "backups"
    backup = backups / f"{entry.module}.{time.strftime('%Y%m%d-%H%M%S')}.py"
    if not confirmed:
        answer = ask(fill(t("reset.ask", path=shown, backup=relative(backup))) + " ", stream_in)
        if answer is False:
            out(t("cancelled"))
            return 0
        if not answer:
            out(fill(t("reset.confirm_how", path=shown, label=entry.label,
                         command=command("reset", chapter=entry.label, confirm="yes"))))
            return 1
    if path.exists():
        backups.mkdir(parents=True, exist_ok=True)
        backup.write_bytes(path.read_bytes())
    path.write_text(stub_text(entry), encoding="utf-8")
    from kata_tools.learner.hints import forget_chapter

    forget_chapter(package, entry.label)
    out(fill(t("reset.done", path=shown, backup=relative(backup) if backup.exists() else "-")))
    return 0
