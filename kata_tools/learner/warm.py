"""A warm pytest for ``make watch``: torch and the tools imported once, each run in a fresh fork.

A cold ``python -m pytest`` spends most of its time before the first test:
starting Python, importing torch (a second or two), pytest and its plugins.
``make watch`` pays that on every save unless something stays warm. Here a
*zygote* process, forked from the watcher before it starts watching, imports
torch, numpy, pytest and the tools once, then waits. For each run it forks a
child that calls ``pytest.main`` with the same arguments ``make next`` would
pass on the command line. The child starts with everything already imported
except the learner's code and the tests: those are imported afresh in every
child, so an edit is never hidden behind a stale import. When the child is
done it exits; the zygote stays as it was.

The zygote is a separate process, rather than the watcher itself, so that it
never holds the file watcher's threads when it forks. Where ``os.fork`` does
not exist (Windows), ``WarmPytest`` is not available and ``make watch``
starts a fresh interpreter per run, as ``make next`` does.

    runner = WarmPytest.start(cwd=REPO_ROOT)
    status = runner.run(["tests/test_chapter05_layer_norm.py"], {"KATA_IMPL": "katas"})
    runner.close()
"""

import json
import os
import signal
import sys

# What every run imports before its first test: the libraries and the tools, never the katas or tests.
# Our own plugin (kata_tools.pytest_plugin) is left to pytest, which rewrites its asserts as it imports
# it. The libraries that installed plugins bring (hypothesis, in a maintainer's environment, costs a
# second a run) are imported here; pytest would only warn that it cannot rewrite their asserts, which
# no test relies on, and ASSERT_REWRITE_QUIET keeps that warning out of the learner's output.
PRELOAD = (
    "torch",
    "numpy",
    "pytest",
    "hypothesis",
    "execnet",
    "anyio",
    "data.tinyshakespeare",
    "kata_tools.chapters",
    "kata_tools.i18n",
    "kata_tools.testing",
    "kata_tools.explain",
    "kata_tools.summary",
    "kata_tools.learner.state",
)


ASSERT_REWRITE_QUIET = ("-W", "ignore::pytest.PytestAssertRewriteWarning")


def available():
    """Whether runs can be forked from a warm process here (not on Windows)."""
    return hasattr(os, "fork") and os.name == "posix"


def _forget_learner_code():
    """Drop any kata package the forking process had imported: every run must import it afresh."""
    packages = {"katas", "reference", "gallery", os.environ.get("KATA_IMPL", "katas").split(".")[0]}
    for name in [name for name in sys.modules if name.split(".")[0] in packages]:
        del sys.modules[name]


def _preload():
    import importlib

    _forget_learner_code()
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional plugin only costs its import in the child
            pass


def _run_child(arguments, environment, cwd):
    """In the forked child: pytest.main with the run's environment; never returns."""
    status = 3
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(environment)
        if cwd not in sys.path:
            sys.path.insert(0, cwd)
        import pytest

        status = int(pytest.main(list(arguments)))
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except KeyboardInterrupt:
        status = 2
    except BaseException:  # an error of the tools themselves: show it, like a cold pytest would
        import traceback

        traceback.print_exc()
        status = 3
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _zygote(commands, replies, cwd):
    """The warm process: preload, then fork one child per command line read; never returns."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the child running and the watcher
    _preload()
    reader = os.fdopen(commands, "r", encoding="utf-8")
    writer = os.fdopen(replies, "w", encoding="utf-8")
    writer.write("ready\n")
    writer.flush()
    for line in reader:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        child = os.fork()
        if child == 0:
            reader.close()
            writer.close()
            _run_child(request["arguments"], request["environment"], cwd)
        _, wait_status = os.waitpid(child, 0)
        writer.write(f"{os.waitstatus_to_exitcode(wait_status)}\n")
        writer.flush()
    os._exit(0)


class WarmPytest:
    """A zygote process that runs pytest sessions in forks of itself; see the module's docstring."""

    def __init__(self, pid, commands, replies):
        self.pid = pid
        self._commands = commands
        self._replies = replies
        self._ready = False

    @classmethod
    def start(cls, cwd):
        """Fork the zygote (it imports torch and the tools in the background); None where fork is missing."""
        if not available():
            return None
        command_read, command_write = os.pipe()
        reply_read, reply_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(command_write)
            os.close(reply_read)
            try:
                _zygote(command_read, reply_write, str(cwd))
            finally:
                os._exit(0)
        os.close(command_read)
        os.close(reply_write)
        return cls(pid, os.fdopen(command_write, "w", encoding="utf-8"), os.fdopen(reply_read, "r", encoding="utf-8"))

    def _reply(self):
        line = self._replies.readline()
        if not line:
            raise OSError("the warm pytest process has gone")
        return line.strip()

    def run(self, arguments, environment):
        """pytest's exit status for ``pytest ARGUMENTS`` run in a fork with ``environment`` (a full os.environ).

        Raises OSError when the zygote has died; the caller then runs pytest cold.
        """
        if not self._ready:
            if self._reply() != "ready":
                raise OSError("the warm pytest process did not start")
            self._ready = True
        arguments = [*ASSERT_REWRITE_QUIET, *arguments]
        self._commands.write(json.dumps({"arguments": [str(a) for a in arguments],
                                         "environment": dict(environment)}) + "\n")
        self._commands.flush()
        return int(self._reply())

    def close(self):
        for stream in (self._commands, self._replies):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
