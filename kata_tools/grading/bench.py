"""``make bench-grade``: how long, and how much memory, grading a solved fork takes; or a class.

    python -m kata_tools.grading.bench [--limit SECONDS]
    python -m kata_tools.grading.bench --class K [--jobs N] [--target RATIO]

Copies reference/ into the katas/ of a throwaway fork, grades it as
``make grade FORK=...`` would, and prints the seconds and the peak memory
of the judge and of the sandbox. Exits 1 when it took over ``--limit``
(120 s: the bound on 2 cores), when the judge's memory went over 2 GB, or
when it lost a point.

``--class K`` (``make bench-grade CLASS=K``) makes K throwaway clones (solved,
stubs, and a LayerNorm mistake, in turn) and grades them side by side, in
one run: one by one, as an instructor's loop of ``make grade FORK=`` would,
then as a class (``python -m kata_tools.grading class``). It prints both
times and their ratio, and exits 1 when the ratio is over ``--target``
(0.6) or when a fork's grade differs between the two.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..chapters import REPO_ROOT
from .grade import EXIT_GRADED, judge_fork

MEMORY_LIMIT_MB = 2048


CLASS_TARGET = 0.6
MISTAKE = ("unbiased=False", "unbiased=True")  # chapter 05: LayerNorm's variance with Bessel's correction


def class_fork(root, kind):
    """A git clone at ``root`` whose katas/ are the reference ("solved"), the stubs, or a LayerNorm mistake."""
    (root / "katas").mkdir(parents=True)
    source = REPO_ROOT / ("katas" if kind == "stubs" else "reference")
    for path in source.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if kind == "mistake" and path.name.startswith("chapter05_"):
            text = text.replace(*MISTAKE)
        (root / "katas" / path.name).write_text(text, encoding="utf-8")
    environment = {**os.environ, "GIT_AUTHOR_NAME": "student", "GIT_AUTHOR_EMAIL": "student@example.org",
                   "GIT_COMMITTER_NAME": "student", "GIT_COMMITTER_EMAIL": "student@example.org"}
    for command in (["init", "-q"], ["add", "katas"], ["commit", "-q", "-m", kind]):
        subprocess.run(["git", *command], cwd=root, check=True, env=environment, capture_output=True)
    return root


def bench_class(count, jobs, target):
    """Grade ``count`` forks one by one and as a class; print both times and their ratio; return the exit status."""
    kinds = ("solved", "stubs", "mistake")
    grading = [sys.executable, "-m", "kata_tools.grading"]
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("GITHUB_STEP_SUMMARY", "KATA_IMPL")}
    with tempfile.TemporaryDirectory(prefix="kata-bench-class-") as temporary:
        folder = Path(temporary)
        forks = [class_fork(folder / f"fork{index:03d}", kinds[index % 3]) for index in range(count)]
        with open(folder / "roster.csv", "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["student", "repo"])
            writer.writerows([fork.name, str(fork)] for fork in forks)
        singles, started = {}, time.monotonic()
        for fork in forks:
            output = folder / "single" / fork.name
            subprocess.run([*grading, "--fork", str(fork), "--output-dir", str(output)], cwd=REPO_ROOT,
                           env=environment, capture_output=True, timeout=900)
            try:
                singles[fork.name] = json.loads((output / "grade.json").read_text(encoding="utf-8"))["points"]
            except (OSError, ValueError, KeyError):
                singles[fork.name] = None
        one_by_one = time.monotonic() - started
        started = time.monotonic()
        completed = subprocess.run([*grading, "class", "--roster", str(folder / "roster.csv"), "--out",
                                    str(folder / "class"), "--no-progress", *(["--jobs", str(jobs)] if jobs else [])],
                                   cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=3600)
        as_class = time.monotonic() - started
        if completed.returncode != 0:
            print(f"the class could not be graded (exit {completed.returncode}):\n{completed.stderr[-3000:]}")
            return 1
        started_line = next((line for line in completed.stdout.splitlines() if "at once" in line), "")
        with open(folder / "class" / "gradebook.csv", encoding="utf-8") as file:
            rows = {row["student"]: row for row in csv.DictReader(file)}
    ratio = as_class / one_by_one
    print(f"{count} forks ({', '.join(kinds)} in turn), on {os.cpu_count()} cores")
    print(f"  one by one (make grade FORK=, {count} times): {one_by_one:6.1f} s, {one_by_one / count:.1f} s a fork")
    print(f"  as a class (make grade-class; {started_line.strip()}): {as_class:6.1f} s, "
          f"{as_class / count:.1f} s a fork")
    print(f"  ratio: {ratio:.2f} (target <= {target:g})")
    differ = [name for name, points in singles.items()
              if points is None or float(rows.get(name, {}).get("points") or "nan") != points]
    if differ:
        print(f"the class's grades differ from the single grades for: {', '.join(differ)}")
        return 1
    return 0 if ratio <= target else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grading.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds a solved fork may take")
    parser.add_argument("--class", dest="count", type=int, help="grade a class of this many forks, both ways")
    parser.add_argument("--jobs", type=int, help="the class's forks at once (default: from the cores and memory)")
    parser.add_argument("--target", type=float, default=CLASS_TARGET, help="the class's time over one by one")
    arguments = parser.parse_args(argv)
    if arguments.count:
        return bench_class(arguments.count, arguments.jobs, arguments.target)
    with tempfile.TemporaryDirectory(prefix="kata-bench-grade-") as temporary:
        fork = Path(temporary) / "fork"
        (fork / "katas").mkdir(parents=True)
        for path in (REPO_ROOT / "reference").glob("*.py"):
            shutil.copyfile(path, fork / "katas" / path.name)
        started = time.monotonic()
        grade, status = judge_fork(fork)
        seconds = time.monotonic() - started
    judge_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sandbox_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"a solved fork: {grade['points']:g} / {grade['max_points']:g} points in {seconds:.1f} s "
          f"(limit {arguments.limit:g} s); peak memory: judge {judge_mb:.0f} MB, largest sandbox process "
          f"{sandbox_mb:.0f} MB")
    if status != EXIT_GRADED or grade["points"] != grade["max_points"]:
        print(f"the solved fork was not graded full marks: {grade['status']} {grade['problems']}")
        return 1
    if judge_mb > MEMORY_LIMIT_MB:
        print(f"the judge took {judge_mb:.0f} MB, over {MEMORY_LIMIT_MB} MB")
        return 1
    return 0 if seconds <= arguments.limit else 1


if __name__ == "__main__":
    sys.exit(main())
