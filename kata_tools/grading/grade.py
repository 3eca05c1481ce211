"""``make grade``: score a checkout's katas/ with the judge, the katas running in a sandbox.

    python -m kata_tools.grading [--fork DIR] [--min-score POINTS] [--output-dir DIR]

In order (``grade_fork``; ``judge_fork`` is steps 1 to 5 without writing):

0. Remove the reports of an earlier run from the output folder
   (``grade-output/`` of this checkout unless ``--output-dir`` says another;
   never inside the fork), so that no report with points is left that this
   run did not write.

1. Refuse (exit 4) when bubblewrap cannot start a sandbox here: grading
   never runs student code outside one.
2. Refuse (exit 3) when a file the judge loads from this checkout (its own
   code, the points, ``reference/``) differs from the grading manifest
   (``make manifest`` writes it).
3. Copy the fork's ``katas/**/*.py`` as bytes (plain files with importable
   names, in folders with importable names; bounded in size, count and
   depth: ``sandbox.copy_katas``) into a temporary folder. Nothing else of
   the fork is read: not its ``.venv``, ``__pycache__``, ``*.pth``,
   top-level modules, ``Makefile``, ``reference/``, reports or ``.git`` (its
   commit is read from ``.git``'s files, without running git).
4. The judge (judge.py) checks every chapter: the worker runs the copy in
   the sandbox, the judge compares with the reference it computes itself.
5. A chapter's points (``points.json``) times the share of its checks
   passed; then grade.json, grade-junit.xml and grade-summary.md, written
   into the output folder after the sandbox is gone (the summary appended
   to ``$GITHUB_STEP_SUMMARY`` when that is set). Every string a student
   controls in them is escaped and cut (``reports.clean``).

Exit status, whether grading ran, not whether the student passed: 0 graded;
1 graded but below ``--min-score``; 2 bad arguments; 3 refused (the
grading files differ from the manifest); 4 could not run (no sandbox, the
judge failed, the reports could not be written). With 3 and 4 the reports
say "refused" or "error" and hold no points.

``--fork DIR`` grades another checkout's katas/ with this checkout's judge and
reference: the instructor's grade. Without it, this checkout grades its own
katas/, a preview a student can run, but whose judge they could edit.
"""

import argparse
import json
import os
import platform
import re
import stat
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from ..chapters import CHAPTERS, REPO_ROOT
from . import judge, manifest, reports, sandbox

SCHEMA_VERSION = 3  # 3: no points (null) when not graded
DEFAULT_OUTPUT = "grade-output"
EXIT_GRADED, EXIT_BELOW_MINIMUM, EXIT_USAGE, EXIT_REFUSED, EXIT_NOT_RUN = 0, 1, 2, 3, 4


class Refused(Exception):
    """Grading must not run; ``problems`` say why, each naming what to fix."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


class NotRun(Exception):
    pass


def load_points(text):
    """{"scoring": ..., "chapters": {label: points}} from points.json's text, checked."""
    config = json.loads(text)
    scoring = config.get("scoring", "proportional")
    if scoring not in ("proportional", "all_or_nothing"):
        raise ValueError(f"{manifest.POINTS}: scoring must be 'proportional' or 'all_or_nothing', not {scoring!r}")
    chapters = config.get("chapters", {})
    missing = [entry.label for entry in CHAPTERS if entry.label not in chapters]
    if missing:
        raise ValueError(f"{manifest.POINTS}: no points for chapter(s) {', '.join(missing)}")
    for label, points in chapters.items():
        if not isinstance(points, (int, float)) or points < 0:
            raise ValueError(f"{manifest.POINTS}: chapter {label} has {points!r} points; use a number >= 0")
    return {"scoring": scoring, "chapters": {entry.label: chapters[entry.label] for entry in CHAPTERS}}


def chapter_points(max_points, passed, total, scoring):
    if total == 0:
        return 0
    if scoring == "all_or_nothing":
        return max_points if passed == total else 0
    return round(max_points * passed / total, 2)


def verify_grading_files(root):
    """Refuse unless every file the judge loads from ``root`` matches the manifest; return the file count."""
    try:
        entries = manifest.read(root)
    except manifest.ManifestError as error:
        raise Refused([str(error)]) from None
    comparison = manifest.compare(entries, root)
    if not comparison.clean:
        raise Refused([f"{line} (the judge's own files must match {manifest.MANIFEST})"
                       for line in comparison.lines()]
                      + ["put back the committed copies, or if the change is meant, run `make manifest` and "
                         "commit it"])
    return len(entries)


def commit_of(root):
    """The commit checked out in ``root``, read from its .git files (git itself is not run on a fork).

    Anything but 40 hexadecimal digits is no commit: whatever a fork's .git
    points to, nothing else of a file reaches the grade.
    """
    commit = _commit_of(root)
    return commit if commit and re.fullmatch(r"[0-9a-f]{40}", commit) else None


GIT_FILE_BYTES = 1024 * 1024  # a .git file read for the commit: HEAD, a ref, packed-refs


def _git_file(path):
    """The text of a plain file of a fork's .git, at most ``GIT_FILE_BYTES``; "" for a FIFO, a device, none."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without a writer, then is refused
    except OSError:
        return ""
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return ""
        return file.read(GIT_FILE_BYTES).decode("utf-8", errors="replace")


def _commit_of(root):
    try:
        git = Path(root) / ".git"
        if git.is_file():
            text = _git_file(git).strip()
            git = (Path(root) / text.removeprefix("gitdir:").strip()).resolve()
        head = _git_file(git / "HEAD").strip()
        if not head.startswith("ref:"):
            return head[:40] if len(head) >= 40 else None
        ref = head.removeprefix("ref:").strip()
        for folder in (git, *(Path(line.strip()) if Path(line.strip()).is_absolute() else git / line.strip()
                              for line in _lines(git / "commondir"))):
            if (folder / ref).is_file():
                return _git_file(folder / ref).strip()[:40]
            for line in _lines(folder / "packed-refs"):
                if line.endswith(" " + ref):
                    return line.split()[0][:40]
    except (OSError, ValueError):
        pass
    return None


def _lines(path):
    return [line for line in _git_file(path).splitlines() if line]


def version_of(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def bubblewrap_version():
    try:
        return subprocess.run(["bwrap", "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def base_grade(fork_root, trusted_root, minimum):
    return {
        "schema": SCHEMA_VERSION, "status": "graded", "points": 0, "max_points": 0, "percent": 0.0,
        "passed": 0, "total": 0, "commit": commit_of(fork_root) or os.environ.get("GITHUB_SHA"),
        "python": platform.python_version(), "torch": version_of("torch"),
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "options": {"fork": None if fork_root == trusted_root else str(fork_root), "min_score": minimum},
        "integrity": {}, "problems": [], "warnings": [], "notes": [], "chapters": {},
    }


def score(results, points, kata_problems):
    chapters = {}
    for entry in CHAPTERS:
        if entry.label not in results:
            continue
        result = results[entry.label]
        passed, total = sum(check.passed for check in result.checks), len(result.checks)
        reasons = [reports.clean(reason) for reason in result.notes]
        reasons += [problem for problem in kata_problems if entry.module in problem]
        max_points = points["chapters"][entry.label]
        chapters[entry.label] = {
            "title": entry.title, "points": chapter_points(max_points, passed, total, points["scoring"]),
            "max_points": max_points, "passed": passed, "total": total, "reasons": reasons,
            "tests": [{"id": f"chapter{entry.label}/{check.id}", "name": check.name,
                       "outcome": "passed" if check.passed else "failed", "message": reports.clean(check.message)}
                      for check in result.checks],
        }
    return chapters


def judge_fork(fork_root, trusted_root=REPO_ROOT, minimum=None, labels=None, chapter_seconds=judge.CHAPTER_SECONDS,
               prepared=None, echo=True):
    """Grade ``fork_root``'s katas/ with ``trusted_root``'s judge; return (grade dict, exit status). Writes nothing.

    Never raises for what a fork holds or its katas do: anything that stops
    grading gives ``status`` "refused" (exit 3) or "error" (exit 4), with
    ``problems`` saying why, and no points (``points`` and the other totals
    are None, ``chapters`` empty). ``prepared``: the reference side already
    computed (``judge.prepare``), as a class shares it; ``echo``: print the
    one progress line.
    """
    fork_root, trusted_root = Path(fork_root).absolute(), Path(trusted_root).resolve()
    grade = base_grade(fork_root, trusted_root, minimum)
    started = time.monotonic()
    try:
        sandbox.check()
        files = verify_grading_files(trusted_root)
        grade["integrity"] = {"judge": "the grading checkout" if grade["options"]["fork"] else "this checkout",
                              "manifest": manifest.MANIFEST, "files": files, "sandbox": bubblewrap_version()}
        points = load_points((trusted_root / manifest.POINTS).read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="kata-grade-") as temporary:
            katas = Path(temporary) / "katas"
            copied, problems = sandbox.copy_katas(fork_root / "katas", katas)
            problems = [reports.clean(problem) for problem in problems]
            grade["notes"] += problems
            if echo:
                print(f"grading {len(copied)} kata files of {reports.clean(str(fork_root), 4000)} "
                      "in a bubblewrap sandbox", flush=True)
            results = judge.judge(katas, labels or [entry.label for entry in CHAPTERS], chapter_seconds, prepared)
        grade["chapters"] = score(results, points, problems)
        grade["points"] = round(sum(chapter["points"] for chapter in grade["chapters"].values()), 2)
        grade["max_points"] = sum(chapter["max_points"] for chapter in grade["chapters"].values())
        grade["percent"] = round(100 * grade["points"] / grade["max_points"], 1) if grade["max_points"] else 0.0
        grade["passed"] = sum(chapter["passed"] for chapter in grade["chapters"].values())
        grade["total"] = sum(chapter["total"] for chapter in grade["chapters"].values())
        status = EXIT_GRADED
    except Refused as refusal:
        not_graded(grade, "refused", refusal.problems)
        status = EXIT_REFUSED
    except sandbox.Unavailable as error:
        not_graded(grade, "error", [str(error)])
        status = EXIT_NOT_RUN
    except Exception as error:  # noqa: BLE001 - whatever stops the judge, the run says so and gives no points
        not_graded(grade, "error", [f"the judge failed: {type(error).__name__}: {reports.clean(error, 500)}"])
        status = EXIT_NOT_RUN
    grade["seconds"] = round(time.monotonic() - started, 1)
    if status == EXIT_GRADED and minimum is not None and grade["points"] < minimum:
        grade["below_min_score"] = True
        status = EXIT_BELOW_MINIMUM
    return grade, status


def not_graded(grade, status, problems):
    """Mark ``grade`` as not graded: no points, no chapters, the reasons in ``problems``."""
    grade.update(status=status, problems=[reports.clean(problem) for problem in problems], chapters={},
                 **{name: None for name in ("points", "max_points", "percent", "passed", "total")})


def exit_status(grade):
    """The exit status a grade dict stands for: 0 graded, 1 below the minimum, 3 refused, 4 could not run."""
    if grade.get("status") == "graded":
        return EXIT_BELOW_MINIMUM if grade.get("below_min_score") else EXIT_GRADED
    return EXIT_REFUSED if grade.get("status") == "refused" else EXIT_NOT_RUN


def inside(path, folder):
    """Whether ``path`` is ``folder`` or below it, links resolved."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def grade_fork(fork, output_dir, *, trusted_root=REPO_ROOT, minimum=None, labels=None,
               chapter_seconds=judge.CHAPTER_SECONDS, prepared=None, echo=True):
    """Grade ``fork``'s katas/ with ``trusted_root``'s judge and write the three reports into ``output_dir``.

    Returns the grade dict as written to ``output_dir/grade.json``; its exit
    status is ``exit_status(grade)``. First the reports of an earlier run in
    ``output_dir`` are removed, so whatever stops this run, no report with
    points is left that it did not write. Raises ``reports.ReportError``
    (exit 4; nothing written) when ``output_dir`` is a link, not a folder,
    not writable, or inside another checkout's fork.
    """
    fork, output_dir = Path(fork), Path(output_dir)
    if Path(fork).resolve() != Path(trusted_root).resolve() and inside(output_dir, fork):
        raise reports.ReportError(f"the output folder {reports.clean(str(output_dir), 4000)} is inside the fork: "
                                  "the reports go to a folder the grader owns (OUTPUT_DIR=, --output-dir)")
    reports.remove_reports(output_dir)
    grade, _ = judge_fork(fork, trusted_root, minimum, labels, chapter_seconds, prepared, echo)
    try:
        reports.write_reports(grade, output_dir, echo=echo)
    except reports.ReportError as error:
        not_graded(grade, "error", [str(error)])
        reports.remove_reports(output_dir)
        raise
    return grade


def default_output_dir():
    """Where the reports go without --output-dir: ``grade-output/`` of the grading checkout."""
    return REPO_ROOT / DEFAULT_OUTPUT


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fork", type=Path, default=REPO_ROOT,
                        help="grade the katas/ of this checkout (a student's clone) with this checkout's judge")
    parser.add_argument("--min-score", default="", help="exit 1 when the grade is below this many points")
    parser.add_argument("--output-dir", type=Path, default=None,
                        help=f"where grade.json and the others go (default: {DEFAULT_OUTPUT}/ of this checkout); "
                             "never inside the fork")
    parser.add_argument("--chapters", default="", help=argparse.SUPPRESS)  # the proofs grade a few chapters only
    parser.add_argument("--chapter-seconds", type=float, default=judge.CHAPTER_SECONDS, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    minimum = None
    if arguments.min_score.strip():
        try:
            minimum = float(arguments.min_score)
        except ValueError:
            parser.error(f"--min-score must be a number of points, not {arguments.min_score!r}")
    if not (arguments.fork / "katas").is_dir():
        parser.error(f"{reports.clean(str(arguments.fork), 4000)} is not a checkout of nanoGPT Katas "
                     "(no katas/ folder)")
    output_dir = arguments.output_dir or default_output_dir()
    if arguments.fork.resolve() != REPO_ROOT.resolve() and inside(output_dir, arguments.fork):
        parser.error(f"--output-dir {reports.clean(str(output_dir), 4000)} is inside the fork: the reports go to "
                     "a folder you own (OUTPUT_DIR=)")
    labels = [f"{int(label):02d}" for label in arguments.chapters.split(",") if label.strip()] or None
    try:
        grade = grade_fork(arguments.fork, output_dir, minimum=minimum, labels=labels,
                           chapter_seconds=arguments.chapter_seconds)
    except reports.ReportError as error:
        print(f"NOT GRADED: {error}")
        return EXIT_NOT_RUN
    status = exit_status(grade)
    if status == EXIT_BELOW_MINIMUM:
        print(f"below the minimum: {reports.fmt(grade['points'])} < {reports.fmt(minimum)} points (MIN_SCORE)")
    return status
