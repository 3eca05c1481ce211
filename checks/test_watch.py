"""make watch's warm runs (kata_tools/learner/warm.py): fresh code every run, nothing left behind.

How fast it answers is measured by ``make bench-watch``, not here.
"""

import importlib
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from kata_tools.chapters import REPO_ROOT
from kata_tools.learner import progress, warm

needs_fork = pytest.mark.skipif(not warm.available(), reason="warm runs need os.fork (not on Windows)")


def write_chapter(folder, value):
    (folder / "lesson.py").write_text(f"VALUE = {value}\n", encoding="utf-8")
    (folder / "test_lesson.py").write_text(textwrap.dedent("""
        import lesson

        def test_value_is_2():
            assert lesson.VALUE == 2, f"VALUE is {lesson.VALUE}"
    """), encoding="utf-8")


@needs_fork
def test_each_warm_run_imports_the_code_afresh_and_the_zygote_has_never_imported_it(tmp_path, capfd):
    write_chapter(tmp_path, 1)
    runner = warm.WarmPytest.start(cwd=tmp_path)
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    arguments = ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "test_lesson.py"]
    try:
        assert runner.run(arguments, environment) == 1, "VALUE = 1 must fail"
        assert "VALUE is 1" in capfd.readouterr().out
        write_chapter(tmp_path, 2)
        assert runner.run(arguments, environment) == 0, "after the edit the run must see VALUE = 2: a stale import?"
        write_chapter(tmp_path, 3)
        assert runner.run(arguments, environment) == 1
        assert "VALUE is 3" in capfd.readouterr().out
    finally:
        runner.close()
    with pytest.raises(ProcessLookupError):
        os.kill(runner.pid, 0)


@needs_fork
def test_the_zygote_holds_torch_and_the_tools_but_no_kata(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(textwrap.dedent("""
        import sys

        def test_preloaded():
            # imported by the zygote before this session started; the katas and the tests are not
            assert "torch" in sys.modules and "kata_tools.testing" in sys.modules
            assert not [name for name in sys.modules if name.startswith(("katas", "reference."))]
    """), encoding="utf-8")
    importlib.import_module("reference.chapter05_layer_norm")  # imported here: the zygote must forget it
    runner = warm.WarmPytest.start(cwd=tmp_path)
    try:
        assert runner.run(["-q", "-p", "no:cacheprovider", str(probe)], dict(os.environ)) == 0
    finally:
        runner.close()


def test_without_fork_watch_runs_a_fresh_interpreter(monkeypatch):
    monkeypatch.setattr(warm.os, "name", "nt")
    assert not warm.available()
    assert warm.WarmPytest.start(cwd=REPO_ROOT) is None


def test_a_dead_warm_process_falls_back_to_a_fresh_interpreter(monkeypatch):
    class Gone:
        def run(self, arguments, environment):
            raise OSError("the warm pytest process has gone")

    started = []
    monkeypatch.setattr(progress.subprocess, "run",
                        lambda command, **kwargs: started.append(command) or subprocess.CompletedProcess(command, 0))
    from kata_tools.chapters import chapter

    assert progress.run_visibly([chapter("05")], "reference", warm=Gone()) == 0
    assert started and started[0][:3] == [sys.executable, "-m", "pytest"]


def test_warm_runs_can_be_switched_off(monkeypatch):
    from kata_tools.learner.watch import warm_wanted

    for value, wanted in (("0", False), ("off", False), ("no", False), ("1", True), ("", True)):
        monkeypatch.setenv("KATA_WATCH_WARM", value)
        assert warm_wanted() is wanted


@needs_fork
def test_ctrl_c_stops_the_watcher_and_its_warm_process(tmp_path):
    """Ctrl-C reaches the whole foreground process group: the watcher, its zygote and a run."""
    environment = {**os.environ, "KATA_IMPL": "reference", "KATA_LANG": "en", "NO_COLOR": "1",
                   "KATA_STATE_DIR": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("PYTEST_XDIST_WORKER", None)
    process = subprocess.Popen([sys.executable, "-m", "kata_tools.learner.cli", "watch", "00"], cwd=REPO_ROOT,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        seen = []
        deadline = time.monotonic() + 120
        for line in process.stdout:
            seen.append(line)
            if line.startswith("watching ") or time.monotonic() > deadline:
                break
        assert seen and seen[-1].startswith("watching "), "".join(seen)
        os.killpg(process.pid, signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        assert process.returncode == 0, "".join(seen) + rest
        assert "stopped watching" in rest, rest
    finally:
        if process.poll() is None:
            process.kill()
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # the zygote and its runs were in the same group
        os.killpg(process.pid, 0)
