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
  ``make progress``, ``make next`` and ``make hint`` (see kata_tools.learner.progress).

Messages follow ``KATA_LANG`` (en, zh, ja; see kata_tools.i18n).
"""

import os
import re
from pathlib import Path

import pytest

from .chapters import CHAPTERS, REPO_ROOT, chapter_of_path
from .i18n import display_width, fill, pad, t, title
from .outcomes import OutcomeRecorder
from .stubs import parse_stub

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
    parsed = parse_stub(message)
    what = t("stub.what", chapter=parsed[0], function=parsed[1]) if parsed else message
    return t("stub.line", what=what, where=where)


def stub_function(excinfo):
    """``AttentionHead.forward`` from a stub's ``NotImplementedError``, or None."""
    found = parse_stub(str(excinfo.value))
    return found[1] if found else None


# ---------------------------------------------------------------- where in the learner's code
def _kata_files():
    from kata_tools.learner.progress import kata_path

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


def _kata_entries(traceback, kata_files):
    """The traceback's entries in kata files, innermost first, as (entry, chapter)."""
    found = []
    for entry in reversed(traceback):
        try:
            path = str(Path(entry.path).resolve())
        except (TypeError, OSError):
            continue
        if path in kata_files:
            found.append((entry, kata_files[path]))
    return found


def learner_frame(excinfo, kata_files, chapter=None, outermost=False):
    """(function, traceback entry, exception info) of the learner's frame to point at, or None.

    The innermost frame in a kata file, unless the traceback passes through
    the kata of ``chapter`` (the chapter under test): then its innermost
    frame there, since a chapter's tests judge that chapter's code even when
    an earlier, green chapter is where the error surfaced (a float
    ``head_size`` written in chapter 07 breaks ``nn.Linear`` in chapter 06).
    Looks through the chain of causes too: tests often re-raise a crash as
    an AssertionError that names the shapes involved.
    """
    for link in _exception_chain(excinfo):
        entries = _kata_entries(link.traceback, kata_files)
        if not entries:
            continue
        preferred = [item for item in entries if chapter is not None and item[1].number == chapter.number]
        entry = (preferred or entries)[-1 if outermost else 0][0]
        return _qualified_name(entry), entry, link
    return None


def _where(entry):
    return f"{_relative(entry.path)}:{entry.lineno + 1}"


def _statement(entry):
    try:
        return str(entry.statement).strip().splitlines()[0]
    except (IndexError, ValueError, OSError):
        return ""


def _float_sizes(entry):
    """Names of whole-number floats among the frame's locals, e.g. {"head_size": 4.0}: a size written with /."""
    try:
        frame_locals = entry.locals
    except Exception:
        return {}
    frame_locals = dict(frame_locals or {})
    owner = frame_locals.get("self")
    candidates = {**getattr(owner, "__dict__", {}), **frame_locals}  # self.head_size counts as head_size
    return {
        name: value for name, value in candidates.items()
        if isinstance(value, float) and value.is_integer() and not name.startswith("_")
    }


def _assignment(entry, name):
    """"katas/...py:45: head_size = ..." - the line of the frame's function that assigns ``name``, or None."""
    import inspect

    try:
        code = entry.frame.code.raw
        lines, first = inspect.getsourcelines(code)
    except (AttributeError, OSError, TypeError):
        return None
    pattern = re.compile(rf"^\s*(self\.)?{re.escape(name)}\s*=(?!=)")
    for offset, line in enumerate(lines):
        if pattern.match(line):
            return f"{_relative(code.co_filename)}:{first + offset}: {line.strip()}"
    return None


def error_advice(excinfo, entry, others=()):
    """(diagnosis or None, tip or None) matched to the error a learner's line raised.

    The diagnosis, when there is one, is the most specific thing known and
    goes first in the failure; the tip follows the "in your code" lines.
    """
    message = str(excinfo.value)
    lowered = message.lower()
    statement = _statement(entry)
    if excinfo.errisinstance(TypeError) and "float" in lowered:
        sizes, owners = {}, {}
        for candidate in (*others, entry):  # the frame pointed at wins: its names are read last
            found = _float_sizes(candidate)
            sizes.update(found)
            owners.update({name: candidate for name in found})
        named = [name for name in sizes if re.search(rf"\b{re.escape(name)}\b", statement)] or list(sizes)
        if named:
            name = named[0]
            advice = t("advice.float_size", name=name, value=sizes[name])
            assigned = _assignment(owners[name], name)
            return (f"{advice}\n  {assigned}" if assigned else advice), None
        return None, t("advice.float_size_unknown")
    if "view size is not compatible" in lowered or "use .reshape" in lowered:
        return None, t("advice.view" if ".view(" in statement else "advice.not_contiguous")
    if "dimension out of range" in lowered:
        return None, t("advice.dimension")
    if "nonetype" in lowered:  # "cannot unpack non-iterable NoneType", "'NoneType' object is not subscriptable"
        return None, t("advice.returned_none")
    if "index out of range in self" in lowered:
        return None, t("advice.index")
    if excinfo.errisinstance((RuntimeError, ValueError, IndexError)) and any(
        word in lowered for word in _SHAPE_WORDS
    ):
        return None, t("code.shape_tip")
    return None, None


def in_your_code(excinfo, function, entry, chapter=None, innermost=None, tip=None):
    """The "in your code" lines: which function, which line, the error, and a tip matched to it."""
    error = excinfo.typename
    lines = [t("code.where", function=function, error=error, where=_where(entry))]
    statement = _statement(entry)
    if statement:
        lines.append("    " + statement)
    if innermost is not None and innermost is not entry:
        lines.append("  " + t("code.called", function=_qualified_name(innermost), where=_where(innermost)))
    text = str(excinfo.value).strip()
    lines.append(f"    {error}: {text.splitlines()[0] if text else ''}")
    if tip is None:
        _, tip = error_advice(excinfo, entry)
    if tip:
        lines.append(tip)
    return "\n".join(lines)


# ---------------------------------------------------------------- the failure text
def concept_message(excinfo):
    """What the failure says, without pytest's assertion rewriting (``assert False`` + ``where`` dumps).

    The most specific diagnosis a test found comes first (see
    ``kata_tools.testing.lead_with_diagnosis``).
    """
    from .testing import lead_with_diagnosis

    text = str(excinfo.value).strip()
    if excinfo.errisinstance(AssertionError) or excinfo.typename == "Failed":
        kept = []
        for line in text.splitlines():
            if line.startswith("assert ") and kept:
                break
            kept.append(line)
        if kept and kept[0].startswith("assert "):  # a bare assert: its first lines say what differed
            kept = kept[:4]
        text = "\n".join(kept).rstrip()
    else:
        first = text.splitlines()[0] if text else ""
        text = f"{excinfo.typename}: {first}"
    return lead_with_diagnosis(text)


def _test_entry(excinfo, path, name=None):
    """The test function's traceback entry, else the innermost entry in the test file itself."""
    for entry in excinfo.traceback:
        if name and entry.frame.code.raw.co_name == name:
            return entry
    for entry in reversed(excinfo.traceback):
        try:
            if Path(entry.path).resolve() == Path(path).resolve():
                return entry
        except (TypeError, OSError):
            continue
    return None


def full_traceback_wanted(config):
    """pytest's own traceback when the run asks for a style (``--tb=long``, ``make chapterNN TB=long``)."""
    return getattr(config.option, "tbstyle", "auto") not in ("auto", None)


def short_failure(item, excinfo, message, code_lines):
    """The failure as a learner reads it: the message, the test's line, the learner's line, one way to more."""
    lines = [message, ""]
    entry = _test_entry(excinfo, item.path, getattr(item, "originalname", None))
    if entry is not None:
        lines.append(t("failure.test", where=_where(entry), test=item.name))
        statement = _statement(entry)
        if statement:
            lines.append("    " + statement)
    if code_lines:
        lines += [t("code.section") + ":", *("  " + line for line in code_lines.splitlines())]
    entry = chapter_of_path(item.path)
    lines.append(t("failure.more", command=f"make chapter{entry.label} TB=long" if entry else "pytest --tb=long"))
    return "\n".join(lines)


# ---------------------------------------------------------------- time limits
UNIT_TIMEOUT_VARIABLE = "KATA_TEST_TIMEOUT"
UNIT_TIMEOUT = 20  # seconds for a chapter's unit test; a training test carries its own @pytest.mark.timeout
_TIMED_OUT = {}  # chapter label -> the message of its first timeout, in this process

# what to ask about a function that never returned, by its name
_LOOP_QUESTIONS = (
    ("generate", "timeout.generate"),
    ("train", "timeout.train"),
    ("estimate_loss", "timeout.evaluate"),
    ("evaluate", "timeout.evaluate"),
    ("get_batch", "timeout.get_batch"),
)


def unit_timeout():
    try:
        return float(os.environ.get(UNIT_TIMEOUT_VARIABLE, "") or UNIT_TIMEOUT)
    except ValueError:
        return UNIT_TIMEOUT


def is_timeout(excinfo):
    return excinfo is not None and excinfo.typename == "Failed" and str(excinfo.value).startswith("Timeout")


def timeout_message(excinfo, function, seconds):
    """The timeout line, e.g. "generate did not return within 20 s: does the loop run exactly max_new_tokens times?"."""
    short = (function or "the test").split(".")[-1]
    question = next((key for name, key in _LOOP_QUESTIONS if name in short), "timeout.other")
    return t("timeout.line", function=function or "the test", seconds=f"{seconds:g}", question=t(question))


def pytest_sessionstart(session):
    _TIMED_OUT.clear()


def _timeout_seconds(item, excinfo):
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    found = re.search(r"([\d.]+)s", str(excinfo.value))
    return float(found.group(1)) if found else unit_timeout()


def pytest_collection_modifyitems(config, items):
    """Every chapter test gets a time limit that fits it: UNIT_TIMEOUT, unless it sets its own."""
    if not config.pluginmanager.hasplugin("timeout"):
        return
    seconds = unit_timeout()
    for item in items:
        if chapter_of_path(item.path) is not None and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(seconds))


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
        function = stub_function(call.excinfo)
        if function:
            report.user_properties.append(("kata_function", function))
        entry = call.excinfo.traceback[-1]
        report.user_properties.append(("kata_where", f"{_relative(entry.path)}:{entry.lineno + 1}"))
        return
    if call.excinfo is None:
        return
    from .testing import EnvironmentProblem

    if call.excinfo.errisinstance(EnvironmentProblem):
        report.longrepr = str(call.excinfo.value)
        report.user_properties.append(("environment", str(call.excinfo.value)))
        return
    try:
        explain(item, call, report)
    except Exception:  # an extra for the learner: it must never break the report itself
        pass


def explain(item, call, report):
    """Put the short explanation in the failure text itself (``longrepr``), where every front end shows it.

    Only for chapter tests: the repository's own checks keep pytest's report.
    """
    chapter = chapter_of_path(item.path)
    if chapter is None:
        return
    excinfo = call.excinfo
    # a timeout: the function the test called never returned, so point at the outermost learner's frame
    found = learner_frame(excinfo, _kata_files(), chapter, outermost=is_timeout(excinfo))
    function = code_lines = None
    message = concept_message(excinfo)
    if found:
        function, entry, raised = found
        report.user_properties.append(("kata_function", function))
        kata_entries = [found_entry for found_entry, _ in _kata_entries(raised.traceback, _kata_files())]
        innermost = kata_entries[0]
        if not raised.errisinstance(AssertionError):
            diagnosis, tip = error_advice(raised, entry, kata_entries)
            if diagnosis:
                message = f"{diagnosis}\n{message}"
            code_lines = in_your_code(raised, function, entry, chapter, innermost, tip)
    if is_timeout(excinfo):
        if function is None:  # no kata in the way: the function the test called
            entries = list(excinfo.traceback)
            test = _test_entry(excinfo, item.path, getattr(item, "originalname", None))
            called = [entries[index + 1] for index, entry in enumerate(entries[:-1]) if entry is test]
            function = _qualified_name(called[0]) if called else None
        message = timeout_message(excinfo, function, _timeout_seconds(item, excinfo))
        if found:
            code_lines = "\n".join([t("code.running", function=function, where=_where(entry)),
                                    "    " + _statement(entry)])
        if chapter is not None:
            _TIMED_OUT.setdefault(chapter.label, message)
    report.user_properties.append(("kata_message", message))
    if full_traceback_wanted(item.config):
        if code_lines:
            report.sections.append((t("code.section"), code_lines))
        return
    report.longrepr = short_failure(item, excinfo, message, code_lines)


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
    item.session.shouldstop = f"chapter {entry.label} is not green yet"
    return entry


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
        self.environment = {}  # {label: message} of chapters that met a problem of the machine, not of the code
        self.chapter_ids = {}  # {label: every test id of the chapter's file}, from collection
        self.unknown = set()  # chapters with a class whose tests were not collected
        self.collectors = set()

    def _chapter_label(self, test_id):
        entry = chapter_of_path(test_id.split("::")[0])
        return entry.label if entry else None

    def pytest_sessionstart(self, session):
        from kata_tools.learner.progress import chapter_key

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

    def pytest_runtest_logreport(self, report):
        super().pytest_runtest_logreport(report)
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
        from kata_tools.learner.progress import ChapterResult, test_record

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
        from kata_tools.learner.progress import remember

        results = self.chapter_results()
        whole = self.whole_chapters(results)
        try:  # a chapter that met an environment problem says nothing about the learner's code
            remember(self.package, {label: (self.keys.get(label), results[label]) for label in whole
                                    if label not in self.environment})
        except Exception:
            pass  # remembering is a convenience; never fail a test run over it
        self.summary = self.summary_lines(results, whole)

    def summary_lines(self, results, whole):
        """[(text, markup)] for the end of the run."""
        from kata_tools.learner.progress import DONE, LOCKED, is_untouched, own_state, remembered

        if not results:
            return []
        by_label = {entry.label: entry for entry in CHAPTERS}
        width = max(display_width(title(by_label[label])) for label in results)
        lines = [("", {}), (f"---- {t('summary.title')} ----", {"bold": True})]
        next_line, hintless = None, False
        texts = {
            label: t("summary.line", label=label, title=pad(title(by_label[label]), width),
                     green=results[label].green, total=results[label].total)
            for label in results
        }
        text_width = max(display_width(text) for text in texts.values())
        for label in sorted(results):
            entry, result = by_label[label], results[label]
            text = pad(texts[label], text_width)
            if label in self.environment:
                lines.append((text, {}))
                if next_line is None:
                    next_line, hintless = t("summary.environment", message=self.environment[label]), True
                continue
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
                hintless = True
            elif state != DONE and next_line is None:
                next_line = self._next_step(entry, result)
        if next_line:
            first, *rest = next_line.split("\n")
            lines.append((first, {"bold": True}))
            lines += [(line, {}) for line in rest]
            if not hintless:
                lines.append((t("summary.stuck"), {}))
        elif all(results[label].done for label in results):
            lines.append((self._after_green(results, whole, remembered), {"green": True}))
        return lines

    def _step_line(self, entry, result, step):
        """"next: chapter 06, step 3 of 18: scale_scores at katas/...py:84", the command, and why it is red."""
        tests = [test for test in result.tests if test.get("kata") == step.function and test["outcome"] != "passed"]
        failing = tests[0] if tests else None
        command = f"make chapter{entry.label}"
        text = t("summary.next_step", label=entry.label, index=step.index, count=step.count,
                 function=step.function, where=step.where)
        if failing is None or failing["stub"]:
            return text + "\n  " + t("summary.step_run", command=command)
        name = failing["id"].split("::")[-1].split("[")[0]
        text += "\n  " + t("summary.step_test", test=name, command=f"{command} TEST={name}")
        message = failing["message"].split("\n\n")[0].strip() if failing["message"] else ""
        if message:  # whole: the most specific diagnosis comes first and is never cut off
            text += "\n" + "\n".join("  " + line for line in fill(message, indent=2).splitlines())
        return text

    def _after_green(self, results, whole, remembered):
        """What to do after a green run: the first later chapter not done yet, or training once all are."""
        last = max(results)
        if last not in whole:
            return t("summary.all_green")
        for entry in CHAPTERS[int(last) + 1:]:
            try:
                result = remembered(entry, self.package, self.keys.get(entry.label))
            except Exception:  # remembered results are a convenience: without them, name the next chapter
                result = None
            if result is None or not result.done:
                return t("summary.next_chapter", done=last, label=entry.label, title=title(entry))
        return t("summary.train")

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
        from kata_tools.learner.progress import current_step

        try:
            step = current_step(entry, result, self.package)
        except Exception:  # naming the step is a convenience: fall back to the first failing test
            step = None
        if step is not None:
            return self._step_line(entry, result, step)
        failing = result.first_failing()
        if failing is None:
            return None
        if failing["stub"] and failing.get("function"):
            from kata_tools.learner.progress import kata_path, relative

            where = failing.get("where") or relative(kata_path(entry, self.package))
            return t("summary.next_stub", function=failing["function"], path=where)
        name = failing["id"].split("::")[-1].split("[")[0]
        command = f"make chapter{entry.label} TEST={name}"
        message = failing["message"].split("\n\n")[0].strip() if failing["message"] else ""
        text = t("summary.next_test", test=name, command=command)
        if message:  # whole: the most specific diagnosis comes first and is never cut off
            text += "\n" + "\n".join("  " + line for line in fill(message, indent=2).splitlines())
        return text


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
