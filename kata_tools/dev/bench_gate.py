"""How much does ``kata chapterNN`` (``make chapterNN``) cost next to running chapter NN's tests alone?

The target: on a correct implementation whose earlier chapters are green and
unchanged (remembered in ``.kata/``), ``python -m kata_tools chapterNN`` costs at most 1.2
times a bare ``pytest tests/test_chapterNN_*.py`` run, for every chapter. The
gate runs only what is not remembered green, so the difference is the front
door's and the gate's own start-up. Both are timed here, alternating, in a scratch
``.kata/`` (``KATA_STATE_DIR``), and the medians compared.

    python -m kata_tools.dev.bench_gate [--chapters 00,05,12 | --chapters all] [--repeat 5]

Exit status 1 when a chapter misses the target.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from kata_tools.chapters import CHAPTERS, REPO_ROOT, chapter

TARGET = 1.2
REPRESENTATIVE = ("00", "03", "06", "09", "12")


def timed(command, cwd, environment):
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}{completed.stderr[-2000:]}")
    return elapsed


def bench(entry, repeat, environment):
    """(median of the chapter's tests alone, median of the front door's chapterNN), in seconds."""
    alone = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(entry.test_file)]
    gated = [sys.executable, "-m", "kata_tools", f"chapter{entry.label}"]
    timed(gated, REPO_ROOT, environment)  # remembers chapters 00..NN and warms the file cache
    timed(alone, REPO_ROOT, environment)
    alone_times, gated_times = [], []
    for _ in range(repeat):
        alone_times.append(timed(alone, REPO_ROOT, environment))
        gated_times.append(timed(gated, REPO_ROOT, environment))
    return statistics.median(alone_times), statistics.median(gated_times)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.bench_gate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", default=",".join(REPRESENTATIVE),
                        help=f"comma-separated chapters, or all (default: {','.join(REPRESENTATIVE)})")
    parser.add_argument("--chapter", default=None, help="one chapter (same as --chapters NN)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--implementation", default="reference", help="KATA_IMPL to gate (must be green)")
    arguments = parser.parse_args(argv)
    wanted = arguments.chapter or arguments.chapters
    entries = list(CHAPTERS) if wanted == "all" else [chapter(value) for value in wanted.split(",") if value]
    missed = []
    with tempfile.TemporaryDirectory(prefix="kata-bench-gate-") as state:
        environment = {**os.environ, "KATA_IMPL": arguments.implementation, "KATA_STATE_DIR": state}
        environment.pop("MAKEFLAGS", None)
        print(f"{'chapter':8} {'tests alone':>12} {'chapterNN':>15} {'ratio':>6}  (median of {arguments.repeat}; "
              f"target <= {TARGET})")
        for entry in entries:
            alone, gated = bench(entry, arguments.repeat, environment)
            ratio = gated / alone
            if ratio > TARGET:
                missed.append(entry.label)
            print(f"{entry.label:8} {alone:11.2f}s {gated:14.2f}s {ratio:6.2f}{'  MISSED' if ratio > TARGET else ''}",
                  flush=True)
    if missed:
        print(f"chapterNN costs more than {TARGET}x the chapter's own tests for chapter(s) {', '.join(missed)}")
        return 1
    print(f"every chapter benched is within {TARGET}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
