"""``make bench-grade``: how long, and how much memory, grading a solved fork takes.

    python -m kata_tools.grading.bench [--limit SECONDS]

Copies reference/ into the katas/ of a throwaway fork, grades it as
``make grade FORK=...`` would, and prints the seconds and the peak memory
of the judge and of the sandbox. Exits 1 when it took over ``--limit``
(120 s: the bound on 2 cores), when the judge's memory went over 2 GB, or
when it lost a point.
"""

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..chapters import REPO_ROOT
from .grade import EXIT_GRADED, judge_fork

MEMORY_LIMIT_MB = 2048


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grading.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds a solved fork may take")
    arguments = parser.parse_args(argv)
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
