"""How much does ``make chapterNN`` cost next to a bare pytest run?

The target: on a correct implementation, ``make chapter05`` (which also runs
chapters 00-04 to gate) costs at most about twice a bare ``pytest`` run of one
trivial torch test on the same machine. Both are timed here, alternating, and
the medians compared.

    python -m kata_tools.bench_gate [--chapter 05] [--repeat 7]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .chapters import REPO_ROOT, chapter

TRIVIAL_TEST = '''
import torch


def test_torch_adds():
    assert torch.ones(2).sum().item() == 2
'''


def timed(command, cwd, environment):
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}{completed.stderr[-2000:]}")
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.bench_gate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapter", default="05")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--implementation", default="reference", help="KATA_IMPL to gate (must be green)")
    arguments = parser.parse_args(argv)
    target = chapter(arguments.chapter)
    environment = {**os.environ, "KATA_IMPL": arguments.implementation}

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_trivial.py").write_text(TRIVIAL_TEST)
        bare = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_trivial.py"]
        gated = ["make", "--no-print-directory", f"chapter{target.label}", f"PY={sys.executable}"]
        timed(bare, folder, environment)  # warm the file cache once for both
        timed(gated, REPO_ROOT, environment)
        bare_times, gated_times = [], []
        for _ in range(arguments.repeat):
            bare_times.append(timed(bare, folder, environment))
            gated_times.append(timed(gated, REPO_ROOT, environment))

    bare_median, gated_median = statistics.median(bare_times), statistics.median(gated_times)
    ratio = gated_median / bare_median
    print(f"bare pytest, one trivial torch test : {bare_median:.2f} s (median of {arguments.repeat})")
    print(f"make chapter{target.label} ({arguments.implementation}, gates 00-{target.label})   : {gated_median:.2f} s")
    print(f"ratio: {ratio:.2f} (target: at most about 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
