"""How a failed chapter test is explained to the learner (used by the pytest plugin).

- A stub that still raises ``NotImplementedError``: one line saying what to write and where.
- An error raised inside the learner's own code: the "in your code" section (which function,
  which line, the values on it) with advice for the error (``error_advice``), e.g. a float
  used as a size.
- The concise report: the concept message, the test's line, the learner's line, one way to more.

Messages follow ``KATA_LANG`` (en, zh, ja; see kata_tools.i18n).
"""

import os
import re
from pathlib import Path

import pytest

from .chapters import CHAPTERS, REPO_ROOT, chapter_of_path
from .i18n import _, t
from .runner import command
from .stubs import learner_lines, parse_stub

_SHAPE_WORDS = ("shape", "size", "dimension", "must match", "broadcast")


def relative_path(path):
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def stub_message(excinfo):
    """One line naming the stub that raised, or None if this is not a stub failure."""
    if excinfo is None or not excinfo.errisinstance(NotImplementedError):
        return None
    entry = excinfo.traceback[-1]
    where = f"{relative_path(entry.path)}:{entry.lineno + 1}"
    message = str(excinfo.value) or _("a function")
    parsed = parse_stub(message)
    what = t("stub.what", chapter=parsed[0], function=parsed[1]) if parsed else message
    return t("stub.line", what=what, where=where)


def stub_function(excinfo):
    """``AttentionHead.forward`` from a stub's ``NotImplementedError``, or None."""
    found = parse_stub(str(excinfo.value))
    return found[1] if found else None


# ---------------------------------------------------------------- where in the learner's code
def _kata_files():
    from kata_tools.learner.state import kata_path

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


def _learner_spans(path, entry):
    """{function: (first, last)} of the learner's lines in the kata file at ``path`` (see stubs.learner_lines)."""
    try:
        stat = Path(path).stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in _SPANS:
            _SPANS[key] = learner_lines(Path(path).read_text(encoding="utf-8"),
                                        entry.source_file("reference").read_text(encoding="utf-8"), path)
        return _SPANS[key]
    except (OSError, SyntaxError, ValueError):
        return None


_SPANS = {}


def _written_by_the_learner(item):
    """Whether a traceback entry's line lies in code the learner wrote (not in the kata's given lines)."""
    entry, chapter = item
    spans = _learner_spans(str(Path(entry.path).resolve()), chapter)
    if spans is None:
        return True  # unknown: every kata line may be the learner's
    line = entry.lineno + 1
    return any(first <= line <= last for first, last in spans.values())


def learner_frame(excinfo, kata_files, chapter=None, outermost=False):
    """(function, traceback entry, exception info) of the learner's frame to point at, or None.

    The innermost frame on a line the learner wrote (kata_tools.stubs.learner_lines: not the
    kata's given lines, which only run what the learner wrote), else the innermost frame in a
    kata file, unless the traceback passes through the kata of ``chapter`` (the chapter under test): then its innermost
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
        # a given line that raised (e.g. encode reading self.ctoi) points at the learner's code that called it
        entries = [item for item in entries if _written_by_the_learner(item)] or entries
        preferred = [item for item in entries if chapter is not None and item[1].number == chapter.number]
        entry = (preferred or entries)[-1 if outermost else 0][0]
        return _qualified_name(entry), entry, link
    return None


def _where(entry):
    return f"{relative_path(entry.path)}:{entry.lineno + 1}"


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
            return f"{relative_path(code.co_filename)}:{first + offset}: {line.strip()}"
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
    missing = re.search(r"object has no attribute '(\w+)'", message)
    if excinfo.errisinstance(AttributeError) and missing and f"self.{missing.group(1)}" in statement + " " + "".join(
            _statement(other) for other in others):
        return None, t("advice.missing_attribute", name=missing.group(1))
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
    more = command(f"chapter{entry.label}", tb="long") if entry else "pytest --tb=long"
    lines.append(t("failure.more", command=more))
    return "\n".join(lines)


# ---------------------------------------------------------------- time limits
UNIT_TIMEOUT_VARIABLE = "KATA_TEST_TIMEOUT"
UNIT_TIMEOUT = 20  # seconds for a chapter's unit test; a training test carries its own @pytest.mark.timeout

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
    """pytest-timeout's failure (signal method), or the plugin's ChapterTimeout (thread method)."""
    return (excinfo is not None and isinstance(excinfo.value, pytest.fail.Exception)
            and str(excinfo.value).startswith("Timeout"))


def timeout_message(excinfo, function, seconds):
    """The timeout line, e.g. "generate did not return within 20 s: does the loop run exactly max_new_tokens times?"."""
    short = (function or "the test").split(".")[-1]
    question = next((key for name, key in _LOOP_QUESTIONS if name in short), "timeout.other")
    return t("timeout.line", function=function or _("the test"), seconds=f"{seconds:g}", question=t(question))


def timeout_seconds(item, excinfo):
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    found = re.search(r"([\d.]+)s", str(excinfo.value))
    return float(found.group(1)) if found else unit_timeout()


# ---------------------------------------------------------------- the explanation
def explain(item, call, report, timed_out):
    """Put the short explanation in the failure text itself (``longrepr``), where every front end shows it.

    Only for chapter tests: the repository's own checks keep pytest's report. ``timed_out``
    (chapter label -> message) gets the message of a chapter's first timeout.
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
            # the root error: the same one failing several tests is shown once (ChapterRecorder)
            text = str(raised.value).strip()
            report.user_properties.append(
                ("kata_root", f"{raised.typename}: {text.splitlines()[0] if text else ''} @ {_where(entry)}"))
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
        message = timeout_message(excinfo, function, timeout_seconds(item, excinfo))
        if found:
            code_lines = "\n".join([t("code.running", function=function, where=_where(entry)),
                                    "    " + _statement(entry)])
        if chapter is not None:
            timed_out.setdefault(chapter.label, message)
    report.user_properties.append(("kata_message", message))
    if full_traceback_wanted(item.config):
        if code_lines:
            report.sections.append((t("code.section"), code_lines))
        return
    report.longrepr = short_failure(item, excinfo, message, code_lines)
