"""Pytest plugin of a graded run: ``make grade`` loads it, a learner's run never does.

It does, from inside the test process, what the grader cannot do from outside:

- keeps the reference out of reach: importing ``reference`` fails, by any
  route, and so does opening a file below the folders the grader forbids
  (the repositories the kata and the grader came from, where ``reference/``
  and ``.git`` live), through an audit hook, which unlike an import hook
  cannot be taken out again;
- keeps ``KATA_IMPL`` at ``katas``: setting it fails, and a change is undone;
- records, line by line as it happens, what was collected and how each
  test went, so that a run that dies half-way (a crash, a kata calling
  ``os._exit``) still leaves its record: a test that never reported counts
  as failed.

Each violation names the kata on the call stack, else the running test, so
that the grader can score that chapter zero and show why.

    python -m pytest ... -p kata_tools.graded_run --graded-run-log=FILE [--graded-run-forbid=DIR ...]
"""

import json
import os
import site
import sys
import threading

import pytest

from .chapters import chapter_of_path
from .implementation import DEFAULT_PACKAGE, ENVIRONMENT_VARIABLE
from .outcomes import failure_message

BLOCKED_PACKAGES = ("reference", "gallery")  # the solved curriculum, and its variants in the mistakes gallery
PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.kill")


class _State:
    log_path = None
    katas_dir = None
    forbidden = ()
    allowed = ()
    current_test = None
    hook_installed = False


_state = _State()
_guard = threading.local()


def _write(record):
    if _state.log_path is None:
        return
    line = (json.dumps(record) + "\n").encode("utf-8")
    handle = os.open(_state.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, line)
    finally:
        os.close(handle)


def _under(path, folders):
    return any(path == folder or path.startswith(folder + os.sep) for folder in folders)


def _culprit():
    """(kata file, chapter label) of the innermost chapter kata on the call stack, else of the running test."""
    first_kata = None
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if _state.katas_dir and filename.startswith(_state.katas_dir + os.sep):
            relative = "katas/" + os.path.relpath(filename, _state.katas_dir).replace(os.sep, "/")
            first_kata = first_kata or relative
            entry = chapter_of_path(filename)
            if entry is not None:
                return relative, entry.label
        frame = frame.f_back
    entry = chapter_of_path(_state.current_test.split("::")[0]) if _state.current_test else None
    return first_kata, entry.label if entry else None


def _violation(kind, detail):
    kata, chapter = _culprit()
    _write({"event": "violation", "kind": kind, "detail": detail, "kata": kata, "chapter": chapter,
            "test": _state.current_test})


class ReferenceBlocker:
    """A meta path finder that refuses ``reference`` and its modules, wherever they are on sys.path."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED_PACKAGES:
            _violation("import", f"imported {name}")
            raise ModuleNotFoundError(f"No module named {name!r}: the solutions are out of reach in a graded run",
                                      name=name)
        return None

    def invalidate_caches(self):
        pass


def _audit(event, arguments):
    if getattr(_guard, "active", False):
        return
    if event == "open":
        path = arguments[0]
        if path is None or isinstance(path, int):
            return
        _guard.active = True
        try:
            real = os.path.realpath(os.fsdecode(path))
            if _under(real, _state.forbidden) and not _under(real, _state.allowed):
                _violation("open", f"opened {real}")
                raise PermissionError(f"{real}: the repository's files are out of reach in a graded run")
        finally:
            _guard.active = False
    elif event == "os.putenv" and os.fsdecode(arguments[0]) == ENVIRONMENT_VARIABLE:
        _guard.active = True
        try:
            _violation("environment", f"set {ENVIRONMENT_VARIABLE}={os.fsdecode(arguments[1])}")
        finally:
            _guard.active = False
        raise PermissionError(f"{ENVIRONMENT_VARIABLE} is fixed to {DEFAULT_PACKAGE} in a graded run")
    elif event.startswith(PROCESS_EVENTS):
        _guard.active = True
        try:
            kata, _ = _culprit()
            if kata is not None:
                _violation("process", f"started a process ({event})")
                raise PermissionError(f"a kata may not start processes in a graded run ({event})")
        finally:
            _guard.active = False


class Recorder:
    def __init__(self, config):
        self.worker = hasattr(config, "workerinput")

    def pytest_collection_finish(self, session):
        if not self.worker and session.items:
            _write({"event": "collected", "ids": [item.nodeid for item in session.items]})

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        _write({"event": "collected", "ids": list(ids)})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        _state.current_test = item.nodeid
        yield
        if os.environ.get(ENVIRONMENT_VARIABLE) != DEFAULT_PACKAGE:
            _violation("environment", f"{ENVIRONMENT_VARIABLE} changed to {os.environ.get(ENVIRONMENT_VARIABLE)!r}")
            _guard.active = True  # putting it back is no violation
            try:
                os.environ[ENVIRONMENT_VARIABLE] = DEFAULT_PACKAGE
            finally:
                _guard.active = False
        _state.current_test = None

    def pytest_collectreport(self, report):
        if not self.worker and report.failed:
            _write({"event": "collect-error", "id": report.nodeid, "message": failure_message(report)})

    def pytest_runtest_logreport(self, report):
        if self.worker:
            return
        record = {"event": "report", "id": report.nodeid, "when": report.when, "outcome": report.outcome,
                  "duration": round(report.duration, 4)}
        if report.failed or report.skipped:
            record["message"] = failure_message(report)
            record["stub"] = any(name == "stub" for name, _ in report.user_properties)
            if report.failed:
                record["details"] = report.longreprtext[-4000:]
        _write(record)

    def pytest_sessionfinish(self, session, exitstatus):
        if not self.worker:
            _write({"event": "finished", "exitstatus": int(exitstatus)})


def pytest_addoption(parser):
    group = parser.getgroup("graded run", "make grade (kata_tools.grade)")
    group.addoption("--graded-run-log", default=None, help="append the run's record to this file (JSON lines)")
    group.addoption("--graded-run-forbid", action="append", default=[], metavar="DIR",
                    help="a folder the tested code may not read (repeatable)")


def pytest_configure(config):
    log = config.getoption("--graded-run-log")
    if not log:
        return
    _state.log_path = os.path.abspath(log)
    _state.katas_dir = os.path.realpath(str(config.rootpath / "katas"))
    _state.forbidden = tuple(os.path.realpath(folder) for folder in config.getoption("--graded-run-forbid"))
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(), str(config.rootpath)}
    _state.allowed = tuple(os.path.realpath(prefix) for prefix in prefixes)
    os.environ[ENVIRONMENT_VARIABLE] = DEFAULT_PACKAGE
    if not any(isinstance(finder, ReferenceBlocker) for finder in sys.meta_path):
        sys.meta_path.insert(0, ReferenceBlocker())
    for name in [name for name in sys.modules if name.partition(".")[0] in BLOCKED_PACKAGES]:
        del sys.modules[name]
    if not _state.hook_installed:
        sys.addaudithook(_audit)
        _state.hook_installed = True
    config.pluginmanager.register(Recorder(config), "graded-run-recorder")
