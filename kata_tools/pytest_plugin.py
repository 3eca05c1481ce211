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
- Every chapter that ran whole is remembered in ``.kata/`` for
  ``make progress``, ``make next`` and ``make hint`` (see kata_tools.progress).

Messages follow ``KATA_LANG`` (en, zh, ja; see kata_tools.i18n).
"""

import os
import re
from pathlib import Path

import pytest

from .chapters import CHAPTERS, REPO_ROOT, chapter_of_path
from .i18n import display_width, pad, t
from .outcomes import OutcomeRecorder

_STUB_MESSAGE = re.compile(r"^chapter (\d\d): write (\S+)$")
_SHAPE_WORDS = ("shape", "size", "dimension", "must match", "broadcast")


def _relative(path):
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def stub_message(excinfo):
    """One line naming the stub that raised, or None if this is not a stub failure."""
    if excinfo is None or not excinfo.errisinstance(NotImplementedError):
        return None
    entry = excinfo.traceback[-1]
    where = f"{_relative(entry.path)}:{entry.lineno + 1}"
    message = str(excinfo.value) or "a function"
    parsed = _STUB_MESSAGE.match(message)
    what = t("stub.what", chapter=parsed.group(1), function=parsed.group(2)) if parsed else message
    return t("stub.line", what=what, where=where)


def stub_function(excinfo):
    """``AttentionHead.forward`` from a stub's ``NotImplementedError``, or None."""
    found = _STUB_MESSAGE.match(str(excinfo.value))
    return found.group(2) if found else None


# ---------------------------------------------------------------- where in the learner's code
def _kata_files():
    from .progress import kata_path

    return {str(kata_path(entry).resolve()): entry for entry in CHAPTERS}


def _qualified_name(entry):
    code = entry.frame.code.raw
    name = getattr(code, "co_qualname", None)  # Python 3.11+
    if name is None:
        name = code.co_name
        owner = entry.locals.get("self") if isinstance(entry.locals, dict) else None
        if owner is not None:
            name = f"{type(owner).__name__}.{name}"
    return name.split(".<locals>")[0]


def _exception_chain(excinfo):
    """The failure and the exceptions it came from (``raise ... from error`` in a test helper)."""
    chain, seen, error = [excinfo], {id(excinfo.value)}, excinfo.value
    while True:
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
        if error is None or id(error) in seen or error.__traceback__ is None:
            return chain
        seen.add(id(error))
        chain.append(pytest.ExceptionInfo.from_exception(error))


def learner_frame(excinfo, kata_files):
    """(function, traceback entry, exception info) of the innermost frame in a kata file, or None.

    Looks through the chain of causes too: tests often re-raise a crash as
    an AssertionError that names the shapes involved.
    """
    for link in _exception_chain(excinfo):
        for entry in reversed(link.traceback):
            try:
                path = str(Path(entry.path).resolve())
            except (TypeError, OSError):
                continue
            if path in kata_files:
                return _qualified_name(entry), entry, link
    return None


def in_your_code(excinfo, function, entry):
    where = f"{_relative(entry.path)}:{entry.lineno + 1}"
    error = excinfo.typename
    lines = [t("code.where", function=function, error=error, where=where)]
    try:
        lines.append("    " + str(entry.statement).strip().splitlines()[0])
    except (IndexError, ValueError, OSError):
        pass
    lines.append(f"    {error}: {str(excinfo.value).strip().splitlines()[0] if str(excinfo.value).strip() else ''}")
    if excinfo.errisinstance((RuntimeError, ValueError, IndexError)) and any(
        word in str(excinfo.value).lower() for word in _SHAPE_WORDS
    ):
        lines.append(t("code.shape_tip"))
    return "\n".join(lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    message = stub_message(call.excinfo)
    if message:
        report.longrepr = message
        report.user_properties.append(("stub", message))
        function = stub_function(call.excinfo)
        if function:
            report.user_properties.append(("kata_function", function))
        entry = call.excinfo.traceback[-1]
        report.user_properties.append(("kata_where", f"{_relative(entry.path)}:{entry.lineno + 1}"))
        return
    if call.excinfo is None:
        return
    try:
        found = learner_frame(call.excinfo, _kata_files())
        if found:
            function, entry, raised = found
            report.user_properties.append(("kata_function", function))
            if not raised.errisinstance(AssertionError):
                report.sections.append((t("code.section"), in_your_code(raised, function, entry)))
    except Exception:  # an extra for the learner: it must never break the report itself
        pass


# ---------------------------------------------------------------- summary and memory
class ChapterRecorder(OutcomeRecorder):
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

    def _chapter_label(self, test_id):
        entry = chapter_of_path(test_id.split("::")[0])
        return entry.label if entry else None

    def pytest_sessionstart(self, session):
        from .implementation import package_name
        from .progress import chapter_key

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

    def pytest_deselected(self, items):
        for item in items:
            label = self._chapter_label(item.nodeid)
            if label:
                self.deselected.add(label)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """With KATA_STOP_AFTER_RED=1 (make next), stop after the first chapter that is not green."""
        yield
        if os.environ.get("KATA_STOP_AFTER_RED") != "1":
            return
        entry = chapter_of_path(item.path)
        following = chapter_of_path(nextitem.path) if nextitem is not None else None
        if entry is None or following is None or following.number == entry.number:
            return
        records = self.results.values()
        if any(record["outcome"] == "failed" and record.get("chapter") == entry.label for record in records):
            item.session.shouldstop = f"chapter {entry.label} is not green yet"

    def pytest_runtest_logreport(self, report):
        super().pytest_runtest_logreport(report)
        record = self.results.get(report.nodeid)
        if record is None:
            return
        record["line"] = report.location[1] if report.location else 0
        for name, value in report.user_properties:
            if name == "kata_function":
                record.setdefault("function", value)
            elif name == "kata_where":
                record.setdefault("where", value)

    def chapter_results(self):
        from .progress import ChapterResult, test_record

        results = {}
        for test_id, record in self.results.items():
            label = record.get("chapter")
            if label:
                results.setdefault(label, ChapterResult(label)).tests.append(test_record(
                    test_id, record["outcome"], record["stub"], record["message"],
                    record.get("function"), record.get("line", 0), record.get("where"),
                ))
        for result in results.values():
            result.tests.sort(key=lambda test: test["line"])
        return results

    def whole_chapters(self, results):
        """Labels of the chapters this session ran completely."""
        if self.collected is None:
            return set()
        options = self.config.option
        if any(getattr(options, name, None) for name in self.PARTIAL_OPTIONS):
            return set()
        if any("::" in str(argument) for argument in self.config.args):
            return set()
        return {
            label for label, result in results.items()
            if label not in self.deselected and result.total == self.collected.get(label, -1)
        }

    def pytest_sessionfinish(self, session):
        from .progress import remember

        results = self.chapter_results()
        whole = self.whole_chapters(results)
        try:
            remember(self.package, {label: (self.keys.get(label), results[label]) for label in whole})
        except Exception:
            pass  # remembering is a convenience; never fail a test run over it
        self.summary = self.summary_lines(results, whole)

    def summary_lines(self, results, whole):
        """[(text, markup)] for the end of the run."""
        from .progress import DONE, LOCKED, is_untouched, own_state, remembered

        if not results:
            return []
        by_label = {entry.label: entry for entry in CHAPTERS}
        width = max(display_width(by_label[label].title) for label in results)
        lines = [("", {}), (f"---- {t('summary.title')} ----", {"bold": True})]
        next_line = None
        texts = {
            label: t("summary.line", label=label, title=pad(by_label[label].title, width),
                     green=results[label].green, total=results[label].total)
            for label in results
        }
        text_width = max(display_width(text) for text in texts.values())
        for label in sorted(results):
            entry, result = by_label[label], results[label]
            text = pad(texts[label], text_width)
            if label not in whole:
                lines.append((f"{text}  {t('summary.partial')}", {}))
                continue
            state = own_state(result, is_untouched(entry, self.package))
            blocker = self._earlier_not_done(entry, results, whole, remembered)
            if blocker is not None and state != DONE:
                state = LOCKED
            markup = {"green": True} if state == DONE else {"yellow": True} if state != LOCKED else {}
            lines.append((f"{text}  {t('state.' + state)}", markup))
            if state == LOCKED and next_line is None:
                next_line = t("summary.locked", label=blocker.label)
            elif state != DONE and next_line is None:
                next_line = self._next_step(entry, result)
        if next_line:
            first, *rest = next_line.split("\n")
            lines.append((first, {"bold": True}))
            lines += [(line, {}) for line in rest]
            if "make chapter" not in next_line:
                lines.append((t("summary.stuck"), {}))
        elif all(results[label].done for label in results):
            lines.append((t("summary.all_green"), {"green": True}))
        return lines

    def _earlier_not_done(self, entry, results, whole, remembered):
        """The first earlier chapter known not to be done (from this run, or remembered), or None."""
        for earlier in CHAPTERS[: entry.number]:
            if earlier.label in whole:
                result = results[earlier.label]
            else:
                try:
                    result = remembered(earlier, self.package, self.keys.get(earlier.label))
                except Exception:
                    result = None
            if result is not None and not result.done:
                return earlier
        return None

    def _next_step(self, entry, result):
        failing = result.first_failing()
        if failing is None:
            return None
        if failing["stub"] and failing.get("function"):
            from .progress import kata_path, relative

            where = failing.get("where") or relative(kata_path(entry, self.package))
            return t("summary.next_stub", function=failing["function"], path=where)
        name = failing["id"].split("::")[-1]
        message = failing["message"].splitlines()[0] if failing["message"] else ""
        if len(message) > 160:
            message = message[:157] + "..."
        return t("summary.next_test", test=name) + (f"\n  {message}" if message else "")


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
