"""How fast does ``make watch`` answer a save, next to a cold pytest run of the same chapter?

For each chapter benched, in a scratch copy of the checkout (the reference's
code in ``katas/``, so every chapter is green):

- *cold pytest*: ``python -m pytest tests/test_chapterNN_*.py`` in a fresh
  interpreter, from start to exit: what a learner waits for without a
  watcher, torch's import included;
- *watch, warm*: ``make watch``'s time from saving the kata file to the end
  of the new result (its "watching ..." line), with runs forked from a warm
  process (``kata_tools.learner.warm``), the default;
- *watch, cold*: the same with ``KATA_WATCH_WARM=0``, a fresh interpreter per
  run, as on Windows.

The medians of ``--repeat`` saves are compared. The target: the warm watch
answers chapter 05 within 0.35 times a cold pytest run.

    python -m kata_tools.dev.bench_watch [--chapters 05,11,12] [--repeat 5]

Exit status 1 when chapter 05 (if benched) misses the target.
"""

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kata_tools.chapters import CHAPTERS, REPO_ROOT, chapter

TARGET = 0.35
TARGET_CHAPTER = "05"
COPIED = ("pyproject.toml", "curriculum.toml", "kata_tools", "reference", "tests", "hints")
WATCHING = "watching "  # the first word of watch.start in English


def scratch_checkout(root):
    """A copy of the checkout whose katas/ is the reference: every chapter green."""
    root.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    shutil.copytree(REPO_ROOT / "reference", root / "katas", ignore=ignore)
    (root / "data").mkdir()
    for source in (REPO_ROOT / "data").glob("*.py"):
        shutil.copy2(source, root / "data" / source.name)
    (root / "data" / "input.txt").symlink_to((REPO_ROOT / "data" / "input.txt").resolve())
    return root


class Watcher:
    """``python -m kata_tools.learner.cli watch NN`` in the scratch copy, its output read line by line."""

    def __init__(self, root, label, environment):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kata_tools.learner.cli", "watch", label], cwd=root, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line))

    def wait_for_watching(self, seconds):
        """The time the next "watching ..." line was printed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                when, line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(WATCHING):
                return when
        raise SystemExit(f"make watch printed no result within {seconds} s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def save_to_result(root, entry, environment, repeat):
    """Seconds from each save of the kata to the end of the watcher's new result."""
    kata = root / "katas" / f"{entry.module}.py"
    watcher = Watcher(root, entry.label, environment)
    times = []
    try:
        watcher.wait_for_watching(180)
        time.sleep(0.5)  # the file watcher starts right after that line
        for number in range(repeat + 1):
            saved = time.perf_counter()
            with open(kata, "a", encoding="utf-8") as stream:
                stream.write(f"\n# saved {number}\n")
            answered = watcher.wait_for_watching(180)
            if number:  # the first save warms the file cache
                times.append(answered - saved)
            time.sleep(0.3)
    finally:
        watcher.stop()
    return statistics.median(times)


def cold_pytest(root, entry, environment, repeat):
    test_file = str(entry.test_file.relative_to(REPO_ROOT))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file]
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=root, env=environment, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.bench_watch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", default="05,11,12", help="comma-separated chapters, or all (default: 05,11,12)")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args(argv)
    wanted = arguments.chapters
    entries = list(CHAPTERS) if wanted == "all" else [chapter(value) for value in wanted.split(",") if value]
    missed = False
    with tempfile.TemporaryDirectory(prefix="kata-bench-watch-") as scratch:
        root = scratch_checkout(Path(scratch) / "checkout")
        base = {**os.environ, "KATA_IMPL": "katas", "KATA_LANG": "en", "NO_COLOR": "1",
                "KATA_STATE_DIR": str(Path(scratch) / "state"), "PYTHONDONTWRITEBYTECODE": "1"}
        for name in ("MAKEFLAGS", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS"):
            base.pop(name, None)
        print(f"{'chapter':8} {'cold pytest':>12} {'watch, warm':>12} {'ratio':>6} {'watch, cold':>12} {'ratio':>6}"
              f"  (median of {arguments.repeat} saves; target <= {TARGET} for chapter {TARGET_CHAPTER})", flush=True)
        for entry in entries:
            cold = cold_pytest(root, entry, base, arguments.repeat)
            warm = save_to_result(root, entry, {**base, "KATA_WATCH_WARM": "1"}, arguments.repeat)
            unwarmed = save_to_result(root, entry, {**base, "KATA_WATCH_WARM": "0"}, arguments.repeat)
            ratio = warm / cold
            flag = ""
            if entry.label == TARGET_CHAPTER and ratio > TARGET:
                missed, flag = True, "  MISSED"
            print(f"{entry.label:8} {cold:11.2f}s {warm:11.2f}s {ratio:6.2f} {unwarmed:11.2f}s "
                  f"{unwarmed / cold:6.2f}{flag}", flush=True)
    if missed:
        print(f"make watch answers chapter {TARGET_CHAPTER} in more than {TARGET}x a cold pytest run")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
