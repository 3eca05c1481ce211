"""The pytest plugin behind the chapter tests (loaded by tests/conftest.py).

What it adds to a run, for a learner:

- A test that fails only because a stub still raises ``NotImplementedError``
  is reported in one line that says what to write and where, instead of a
  traceback through the test.
- A test that fails with an error raised inside the learner's own code gets
  a short "in your code" section: which function, which line, and for a
  shape mismatch a tip on how to find it.
- Every run ends with a short summary per chapter, e.g.
  ``chapter 06 AttentionHead  5/9 green  in progress``.
- Every chapter test has a time limit (``KATA_TEST_TIMEOUT``, 20 s), and a timeout says which
  loop to check, with either of pytest-timeout's methods (signal, or thread as on Windows).
  The limit is off with ``--timeout=0`` or while a debugger is attached (VS Code's Debug Test).
- Every chapter that ran whole is remembered in ``.kata/`` for
  ``make progress``, ``make next`` and ``make hint`` (see kata_tools.learner.state).

Messages follow ``KATA_LANG`` (en, zh, ja; see kata_tools.i18n).
"""

import inspect
import os
import sys

import pytest

from .chapters import CHAPTERS, chapter_of_path
from .explain import (
    explain,
    relative_path,
    stub_function,
    stub_message,
    unit_timeout,
)
from .i18n import _, t
from .outcomes import OutcomeRecorder
from .summary import ChapterSummary

# ---------------------------------------------------------------- time limits
_TIMED_OUT = {}  # chapter label -> the message of its first timeout, in this process


def pytest_sessionstart(session):
    _TIMED_OUT.clear()


def debugger_attached(tracer=None):
    """Whether a debugger is attached: debugpy (VS Code's Debug Test), pdb, or a sys.monitoring debugger (3.12+).

    ``tracer``: the trace function to judge (default ``sys.gettrace()``). Coverage's tracer (Run Tests
    with Coverage) is not a debugger: it keeps the time limits.
    """
    if "pydevd" in sys.modules:  # debugpy's engine, loaded once it attaches
        return True
    tracer = tracer or sys.gettrace()
    if tracer is not None:
        module = inspect.getmodule(tracer) or inspect.getmodule(type(tracer))
        if module is not None and module.__name__.split(".")[0] in ("bdb", "pdb", "pydevd", "_pydevd_bundle"):
            return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and monitoring.get_tool(monitoring.DEBUGGER_ID) is not None


def time_limits_off(config):
    """No time limit on a chapter test: ``--timeout=0`` (or PYTEST_TIMEOUT=0) was given, or a debugger is attached.

    A breakpoint must not turn into a timeout while the learner looks around.
    """
    return (config.getoption("timeout", None) == 0 or os.environ.get("PYTEST_TIMEOUT", "").strip() in ("0", "0.0")
            or debugger_attached())


def pytest_collection_modifyitems(config, items):
    """Every chapter test gets a time limit that fits it: UNIT_TIMEOUT, unless it sets its own."""
    if not config.pluginmanager.hasplugin("timeout") or time_limits_off(config):
        return
    seconds = unit_timeout()
    for item in items:
        if chapter_of_path(item.path) is not None and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(seconds))


class ChapterTimeout(pytest.fail.Exception):
    """Raised inside a chapter test whose time is up, when pytest-timeout has to use its thread method.

    That method (the one on Windows, which has no SIGALRM) would end the whole run at the first
    timeout, before any summary. Instead the timer thread raises this in the test's own thread,
    as the signal method raises its failure: the test fails with the usual timeout line, and the
    chapter ends with its summary. ``seconds`` is set on a subclass per test.
    """

    seconds = 0.0

    def __init__(self, *_):
        super().__init__(f"Timeout (>{self.seconds:g}s) from pytest-timeout.")


# How long the timer waits for the test's thread to take the exception (it cannot while it is
# inside one long C call) before it does what pytest-timeout does: dump the stacks and exit.
THREAD_TIMEOUT_GRACE = 10.0


def _raise_in(thread_id, error):
    """Make ``thread_id`` raise ``error`` (a class) at its next Python instruction; None clears a pending one."""
    import ctypes

    return ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(error) if error is not None else None)


def _start_thread_timer(item, settings):
    import threading

    test_thread = threading.get_ident()
    error = type("ChapterTimeout", (ChapterTimeout,), {"seconds": float(settings.timeout)})
    lock, finished, fired = threading.Lock(), threading.Event(), []
    settled = threading.Event()  # the test took the exception (pytest_runtest_makereport), or ended

    def expire():
        if not settings.disable_debugger_detection and debugger_attached():
            return
        with lock:
            if finished.is_set():
                return
            fired.append(_raise_in(test_thread, error))
        if not settled.wait(THREAD_TIMEOUT_GRACE):
            import pytest_timeout

            pytest_timeout.timeout_timer(item, settings)

    timer = threading.Timer(settings.timeout, expire)
    timer.daemon = True
    timer.name = f"kata timeout {item.nodeid}"

    def cancel():
        with lock:
            finished.set()
            settled.set()
            if fired:  # raised already, or still pending: never let it escape into pytest's own code
                _raise_in(test_thread, None)
        timer.cancel()

    item.cancel_timeout = cancel
    item.kata_timeout_settled = settled
    timer.start()


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item, settings):
    """pytest-timeout's timer for a chapter test: none while time limits are off, ours for the thread method."""
    if chapter_of_path(item.path) is None:
        return None
    if time_limits_off(item.config):
        return True
    if settings.method == "thread":
        _start_thread_timer(item, settings)
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """After a chapter's first timeout, its other tests are skipped: each would wait just as long."""
    entry = chapter_of_path(item.path)
    if entry is not None and entry.label in _TIMED_OUT:
        pytest.skip(t("timeout.skipped", label=entry.label, message=_TIMED_OUT[entry.label]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and call.excinfo.errisinstance(ChapterTimeout):
        item.kata_timeout_settled.set()  # the timer need not end the run: the test has failed with it
    checked = item.get_closest_marker("kata")
    if checked is not None and checked.args and (report.when == "call" or report.failed):
        # what the test checks, @pytest.mark.kata("AttentionHead.forward"): a step is done when all its tests pass
        report.user_properties.append(("kata", checked.args[0]))
    if not report.failed:
        return
    message = stub_message(call.excinfo)
    if message:
        report.longrepr = message
        report.user_properties.append(("stub", message))
        report.user_properties.append(("kata_root", message))
        function = stub_function(call.excinfo)
        if function:
            report.user_properties.append(("kata_function", function))
        entry = call.excinfo.traceback[-1]
        report.user_properties.append(("kata_where", f"{relative_path(entry.path)}:{entry.lineno + 1}"))
        return
    if call.excinfo is None:
        return
    from .testing import EnvironmentProblem

    if call.excinfo.errisinstance(EnvironmentProblem):
        report.longrepr = str(call.excinfo.value)
        report.user_properties.append(("environment", str(call.excinfo.value)))
        return
    try:
        explain(item, call, report, _TIMED_OUT)
    except Exception:  # an extra for the learner: it must never break the report itself
        pass


# ---------------------------------------------------------------- summary and memory
def stop_after_red_chapter(item, nextitem, is_red):
    """After a chapter's last test, stop the session if ``is_red(chapter)``; returns that chapter, or None.

    The one place "stop after the first red chapter" is decided: ``make next`` (KATA_STOP_AFTER_RED=1)
    and the gate's run of the earlier chapters both call it from ``pytest_runtest_protocol``.
    """
    entry = chapter_of_path(item.path)
    following = chapter_of_path(nextitem.path) if nextitem is not None else None
    if entry is None or (following is not None and following.number == entry.number) or not is_red(entry):
        return None
    item.session.shouldstop = _("chapter {label} is not green yet").format(label=entry.label)
    return entry


class ChapterRecorder(ChapterSummary, OutcomeRecorder):
    """Collects every test's outcome per chapter; prints the summary, remembers whole chapters."""

    # options that run only part of a chapter: such a run says nothing about the whole chapter
    PARTIAL_OPTIONS = ("keyword", "markexpr", "deselect", "lf", "stepwise", "stepwise_skip")

    def __init__(self, config):
        super().__init__(os.devnull)
        self.config = config
        self.keys = {}
        self.collected = None  # {label: test count}, when known
        self.deselected = set()
        self.lines = {}
        self.environment = {}  # {label: message} of chapters that met a problem of the machine, not of the code
        self.chapter_ids = {}  # {label: every test id of the chapter's file}, from collection
        self.unknown = set()  # chapters with a class whose tests were not collected
        self.collectors = set()
        self.first_failures = {}  # {root error: [the first report that met it, how many more did]}
        self.repeated = []  # reports of failures whose root error an earlier test already showed

    def _chapter_label(self, test_id):
        entry = chapter_of_path(test_id.split("::")[0])
        return entry.label if entry else None

    def pytest_sessionstart(self, session):
        from kata_tools.learner.state import chapter_key

        from .implementation import package_name

        self.package = package_name()
        try:  # the files as they are when the tests start, not when they end
            self.keys = {entry.label: chapter_key(entry, self.package) for entry in CHAPTERS}
        except Exception:
            self.keys = {}

    def pytest_collection_finish(self, session):
        self._count([item.nodeid for item in session.items])

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        if self.collected is None:
            self._count(ids)

    def _count(self, ids):
        counts = {}
        for test_id in ids:
            label = self._chapter_label(test_id)
            if label:
                counts[label] = counts.get(label, 0) + 1
        self.collected = counts

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector):
        """Every test a chapter file holds, however the run selects them (test ids, -k, --lf).

        Read here rather than in pytest_collectreport, which a run given test ids never sees for a file.
        """
        outcome = yield
        try:
            self._collected_file(outcome.get_result())
        except Exception:  # knowing a chapter ran whole is a convenience
            pass

    def _collected_file(self, report):
        if not report.passed or not report.nodeid:
            return
        label = self._chapter_label(report.nodeid.split("::")[0])
        if label is None:
            return
        self.collectors.add(report.nodeid)
        for node in report.result:
            if isinstance(node, pytest.Item):
                self.chapter_ids.setdefault(label, set()).add(node.nodeid)
            elif isinstance(node, pytest.Collector):
                self.unknown.add((label, node.nodeid))

    @pytest.hookimpl(trylast=True)
    def pytest_keyboard_interrupt(self, excinfo):
        """A red chapter that stopped the run is named in the learner's words only: pytest's own banner would
        put its English "Interrupted:" before them (a Ctrl-C keeps pytest's report)."""
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        memo = getattr(reporter, "_keyboardinterrupt_memo", None)
        if excinfo.errisinstance(pytest.Session.Interrupted) and getattr(memo, "reprcrash", None) is not None:
            memo.reprcrash.message = str(excinfo.value)

    def pytest_deselected(self, items):
        for item in items:
            label = self._chapter_label(item.nodeid)
            if label:
                self.deselected.add(label)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """With KATA_STOP_AFTER_RED=1 (make next), stop after the first chapter that is not green."""
        yield
        if os.environ.get("KATA_STOP_AFTER_RED") != "1" or nextitem is None:
            return
        records = self.results.values()
        stop_after_red_chapter(item, nextitem, lambda entry: any(
            record["outcome"] == "failed" and record.get("chapter") == entry.label for record in records))

    def _once(self, report):
        """An error that fails several tests is shown in full once; the later reports are left out of it."""
        root = dict(report.user_properties).get("kata_root") if report.failed else None
        if root is None:
            return
        if not isinstance(report.longrepr, str):  # pytest's own traceback (TB=long): every one is shown
            return
        first = self.first_failures.get(root)
        if first is None:
            self.first_failures[root] = [report, 0, report.longrepr]
            return
        first[1] += 1
        self.repeated.append(report)
        first[0].longrepr = f"{first[2]}\n{t('failure.same_error', count=first[1])}"

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter):
        """The failures and the short summary leave out the repeats; the counts still include them."""
        failed = terminalreporter.stats.get("failed")
        if not self.repeated or not failed:
            yield
            return
        repeated = {id(report) for report in self.repeated}
        terminalreporter.stats["failed"] = [report for report in failed if id(report) not in repeated]
        try:
            yield
        finally:
            terminalreporter.stats["failed"] = failed

    def pytest_runtest_logreport(self, report):
        super().pytest_runtest_logreport(report)
        try:
            self._once(report)
        except Exception:  # a shorter report is a convenience
            pass
        record = self.results.get(report.nodeid)
        if record is None:
            return
        record["line"] = report.location[1] if report.location else 0
        for name, value in report.user_properties:
            if name == "environment":
                self.environment.setdefault(record.get("chapter"), value)
            elif name == "kata_function":
                record.setdefault("function", value)
            elif name == "kata_where":
                record.setdefault("where", value)
            elif name == "kata":
                record.setdefault("kata", value)

    def chapter_results(self):
        from kata_tools.learner.state import ChapterResult, test_record

        results = {}
        for test_id, record in self.results.items():
            label = record.get("chapter")
            if label:
                results.setdefault(label, ChapterResult(label)).tests.append(test_record(
                    test_id, record["outcome"], record["stub"], record["message"],
                    record.get("function"), record.get("line", 0), record.get("where"), record.get("kata"),
                ))
        for result in results.values():
            result.tests.sort(key=lambda test: test["line"])
        return results

    def whole_chapters(self, results):
        """Labels of the chapters this session ran completely.

        A chapter counts as whole when every test its file holds ran,
        however the run named them (VS Code passes one test id per test).
        """
        whole = set()
        for label, result in results.items():
            known = self.chapter_ids.get(label)
            if not known or any(owner == label and node not in self.collectors for owner, node in self.unknown):
                continue
            ran = {test["id"] for test in result.tests}
            if known <= ran:
                whole.add(label)
        if any(label not in self.chapter_ids for label in results):
            whole |= self._whole_by_count(results)  # under xdist the collection happens in the workers
        return whole

    def _whole_by_count(self, results):
        if self.collected is None:
            return set()
        options = self.config.option
        if any(getattr(options, name, None) for name in self.PARTIAL_OPTIONS):
            return set()
        if any("::" in str(argument) for argument in self.config.args):
            return set()
        return {
            label for label, result in results.items()
            if label not in self.chapter_ids and label not in self.deselected
            and result.total == self.collected.get(label, -1)
        }

    def pytest_sessionfinish(self, session):
        from kata_tools.learner.state import remember

        results = self.chapter_results()
        whole = self.whole_chapters(results)
        try:  # a chapter that met an environment problem says nothing about the learner's code
            remember(self.package, {label: (self.keys.get(label), results[label]) for label in whole
                                    if label not in self.environment})
        except Exception:
            pass  # remembering is a convenience; never fail a test run over it
        self.summary = self.summary_lines(results, whole)


def pytest_configure(config):
    # Two cores shared by pytest-xdist workers: one torch thread each avoids oversubscription.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(ChapterRecorder(config), "kata-chapter-recorder")


def pytest_unconfigure(config):
    """The summary is the last thing printed, after pytest's own counts."""
    recorder = config.pluginmanager.get_plugin("kata-chapter-recorder")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if recorder is None or reporter is None or config.option.verbose < -1:
        return
    for text, markup in getattr(recorder, "summary", []):
        reporter.write_line(text, **markup)
