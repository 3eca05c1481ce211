"""Where a learner stands: every chapter's state, remembered between runs.

A chapter is in one of four states:

    done         every one of its tests passes
    in progress  its kata file has been changed, and some test still fails
    not started  its kata file is still exactly the generated stubs
    locked       an earlier chapter is not done yet (``make chapterNN`` would stop there)

"Not started" is decided without running anything: the kata file is compared
with what ``kata_tools.dev.katagen`` generates from the reference. The other
states need test results. Every pytest session that runs a whole chapter
(``make chapterNN``, ``make next``, the Testing view in VS Code, plain
pytest) leaves them in ``.kata/results/<package>.json`` through the pytest plugin,
keyed by a hash of the files the chapter's result depends on: its kata
file, the earlier kata files it imports, its test file and the test helpers.
Change any of them and the remembered result no longer counts; the chapter
runs again the next time its state is asked for.

    python -m kata_tools.learner.cli progress          the table (``make progress``)
"""

import ast
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.i18n import display_width, pad, t, title
from kata_tools.implementation import package_name

DONE, IN_PROGRESS, NOT_STARTED, LOCKED = "done", "in progress", "not started", "locked"
STATES = (DONE, IN_PROGRESS, NOT_STARTED, LOCKED)

STATE_DIRECTORY_VARIABLE = "KATA_STATE_DIR"
RECORD_VERSION = "3"  # 2: messages lead with their diagnosis; keys follow the corpus; 3: passed tests keep their kata
# What every chapter's result also depends on, besides its own files.
SHARED_INPUTS = ("tests/conftest.py", "kata_tools/testing.py", "kata_tools/implementation.py")
_CHAPTER_NAME = re.compile(r"chapter\d\d_[a-z0-9_]+")


# ---------------------------------------------------------------- where things are
def state_directory():
    """``.kata/`` in the repository, or ``$KATA_STATE_DIR``."""
    configured = os.environ.get(STATE_DIRECTORY_VARIABLE, "").strip()
    return Path(configured) if configured else REPO_ROOT / ".kata"


def package_directory(package=None):
    """The folder of the package under test (``katas/`` unless KATA_IMPL says otherwise)."""
    package = package or package_name()
    local = REPO_ROOT.joinpath(*package.split("."))
    if local.is_dir():
        return local
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return local


def kata_path(entry, package=None):
    return package_directory(package) / f"{entry.module}.py"


def relative(path):
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _read(path):
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------- not started: still the stubs?
def stub_text(entry):
    from kata_tools.stubs import stub_source

    reference = entry.source_file("reference")
    return stub_source(reference.read_text(encoding="utf-8"), entry.label, str(reference))


def is_untouched(entry, package=None):
    """True when the chapter's kata file is exactly the generated stubs."""
    text = _read(kata_path(entry, package))
    if text is None:
        return False
    try:
        return text == stub_text(entry)
    except (OSError, SyntaxError, ValueError):
        return False


# ---------------------------------------------------------------- steps: the functions a learner writes
@dataclass
class Step:
    """One function of a chapter the learner writes: a step (module level) or a class method."""

    index: int  # 1-based, in file order
    count: int  # how many the chapter has
    function: str  # e.g. "scale_scores" or "AttentionHead.forward"
    where: str  # "katas/chapter06_attention_head.py:84": its stub, or its def once written


def chapter_functions(entry):
    """The chapter's functions in file order (steps first, then the class methods): its solution regions."""
    from kata_tools.stubs import solution_regions

    reference = entry.source_file("reference")
    names = []
    for region in solution_regions(reference.read_text(encoding="utf-8"), str(reference)):
        if region.function not in names:
            names.append(region.function)
    return names


def function_line(entry, function, package=None):
    """"katas/...py:84": the line of ``function``'s stub in the kata file, else of its ``def``."""
    from kata_tools.stubs import enclosing_functions, stub_message

    path = kata_path(entry, package)
    text = _read(path)
    if text is None:
        return relative(path)
    stub = f'"{stub_message(entry.label, function)}"'
    for number, line in enumerate(text.splitlines(), start=1):
        if stub in line:
            return f"{relative(path)}:{number}"
    try:
        found = [first for first, _, name in enclosing_functions(ast.parse(text)) if name == function]
    except SyntaxError:
        found = []
    return f"{relative(path)}:{found[0]}" if found else relative(path)


def steps_done(entry, result):
    """(functions done, functions) of a chapter's result, or None when its tests name no function.

    A function is done when every test tagged with it (``@pytest.mark.kata``) passed.
    """
    if result is None or not any(test.get("kata") for test in result.tests):
        return None
    functions = chapter_functions(entry)
    return sum(1 for name in functions if _function_done(result, name)), len(functions)


def _function_done(result, function):
    return all(test["outcome"] == "passed" for test in result.tests if test.get("kata") == function)


def current_step(entry, result, package=None):
    """The first function of the chapter (file order) whose tests are not all green, as a Step, or None."""
    if result is None or not any(test.get("kata") for test in result.tests):
        return None
    functions = chapter_functions(entry)
    for index, function in enumerate(functions, start=1):
        if not _function_done(result, function):
            return Step(index, len(functions), function, function_line(entry, function, package))
    return None


# ---------------------------------------------------------------- what a chapter's result depends on
def _chapter_modules_named_in(text):
    """Chapter module names a source text mentions in imports (kata) or strings (tests)."""
    known = {entry.module for entry in CHAPTERS}
    return {name for name in _CHAPTER_NAME.findall(text or "") if name in known}


def _imported_chapters(text):
    """Chapter modules a kata file imports (``from .chapter02_token_embedding import ...``)."""
    try:
        tree = ast.parse(text or "")
    except SyntaxError:
        return _chapter_modules_named_in(text)  # a broken file: be generous rather than miss one
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[-1])
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[-1] for alias in node.names)
    return {entry.module for entry in CHAPTERS if entry.module in names}


def dependencies(entry, package=None):
    """The chapters whose kata files ``entry``'s tests run: itself, what it imports, transitively.

    A chapter's tests may also reach other chapters through ``chapter_module("...")``.
    """
    by_module = {candidate.module: candidate for candidate in CHAPTERS}
    wanted = {entry.module} | _chapter_modules_named_in(_read(entry.test_file))
    seen = set()
    while wanted:
        module = wanted.pop()
        if module in seen:
            continue
        seen.add(module)
        wanted |= _imported_chapters(_read(kata_path(by_module[module], package))) - seen
    return sorted((by_module[module] for module in seen), key=lambda candidate: candidate.number)


def chapter_key(entry, package=None):
    """A hash of everything the chapter's test results depend on; None if it has no test file."""
    if not entry.test_file.exists():
        return None
    package = package or package_name()
    digest = hashlib.sha256(f"{RECORD_VERSION}\0{package}\0{entry.label}\0".encode())
    files = [kata_path(candidate, package) for candidate in dependencies(entry, package)]
    files += [package_directory(package) / "__init__.py", entry.test_file]
    files += [REPO_ROOT / name for name in SHARED_INPUTS]
    for path in files:
        content = _read(path)
        digest.update(f"{relative(path)}\0{len(content) if content is not None else -1}\0".encode())
        digest.update((content or "").encode())
    if "shakespeare_text" in (_read(entry.test_file) or ""):  # its tests read the corpus: a new corpus, a new run
        digest.update(corpus_digest().encode())
    return digest.hexdigest()


_CORPUS_DIGESTS = {}


def corpus_digest(path=None):
    """sha256 of the corpus file (``data/input.txt``), "missing" without one; computed once per version of it."""
    path = Path(path or REPO_ROOT / "data" / "input.txt")
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _CORPUS_DIGESTS:
        _CORPUS_DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _CORPUS_DIGESTS[key]


# ---------------------------------------------------------------- remembered results
@dataclass
class ChapterResult:
    """One chapter's tests in one run. ``tests``: records in file order (see ``test_record``)."""

    label: str
    tests: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.tests)

    @property
    def green(self):
        return sum(1 for test in self.tests if test["outcome"] == "passed")

    @property
    def done(self):
        return self.total > 0 and self.green == self.total

    @property
    def untouched_stubs(self):
        return self.total > 0 and all(test["outcome"] == "failed" and test["stub"] for test in self.tests)

    def first_failing(self):
        return next((test for test in self.tests if test["outcome"] != "passed"), None)

    def to_json(self):
        return {"tests": self.tests}

    @classmethod
    def from_json(cls, label, data):
        return cls(label, list(data.get("tests", [])))


def test_record(test_id, outcome, stub=False, message="", function=None, line=0, where=None, kata=None):
    """One test's outcome. ``function``: the kata function its failure points at (a stub, a crash);
    ``where``: a stub's file:line; ``kata``: the function the test checks (its ``pytest.mark.kata``)."""
    return {"id": test_id, "outcome": outcome, "stub": bool(stub), "message": message or "",
            "function": function, "line": int(line or 0), "where": where, "kata": kata}


def results_file(package=None):
    """Where one package's results are remembered: ``.kata/results/katas.json`` for the learner's."""
    return state_directory() / "results" / f"{package or package_name()}.json"


def _load_json(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path, data):
    """Write atomically: several pytest sessions may finish at the same moment."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(temporary, 0o644)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1, ensure_ascii=False, sort_keys=True)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


KEEP_RECORDS = 6  # per chapter: going back to an earlier version of a file (make reset) needs no new run


def remembered(entry, package=None, key=None):
    """The chapter's remembered result for its files as they are now, or None."""
    package = package or package_name()
    key = key or chapter_key(entry, package)
    if key is None:
        return None
    chapter_records = _load_json(results_file(package)).get(entry.label, {})
    record = chapter_records.get("records", {}).get(key) if isinstance(chapter_records, dict) else None
    if not isinstance(record, dict):
        return None
    return ChapterResult.from_json(entry.label, record)


def remember(package, results):
    """Store ``{label: (key, ChapterResult)}``; other chapters' records stay."""
    results = {label: value for label, value in results.items() if value[0]}
    if not results:
        return
    path = results_file(package)
    chapters = _load_json(path)
    for label, (key, result) in results.items():
        records = chapters.setdefault(label, {}).setdefault("records", {})
        records[key] = {"recorded": time.time(), **result.to_json()}
        for old in sorted(records, key=lambda name: records[name].get("recorded", 0))[:-KEEP_RECORDS]:
            del records[old]
    try:
        _write_json(path, chapters)
    except OSError:
        pass  # a read-only checkout: the tools still work, only slower


def results_from_outcomes(outcomes):
    """{label: ChapterResult} from a ``kata_tools.outcomes`` JSON mapping (no line numbers there)."""
    results, environment = {}, {record.get("chapter") for record in outcomes.values() if record.get("environment")}
    for test_id, record in outcomes.items():
        label = record.get("chapter")
        if label and label not in environment:
            results.setdefault(label, ChapterResult(label)).tests.append(
                test_record(test_id, record["outcome"], record.get("stub"), record.get("message"),
                            kata=record.get("kata"))
            )
    return results


# ---------------------------------------------------------------- running chapters
def label_ranges(numbers):
    """"00-03, 06" for 0, 1, 2, 3, 6."""
    numbers = sorted(set(numbers))
    ranges, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            ranges.append(f"{start:02d}" if start == number else f"{start:02d}-{number:02d}")
            start = None
    return ", ".join(ranges)


def pytest_command(test_files, *extra):
    return [sys.executable, "-m", "pytest", *[str(path) for path in test_files], *extra]


def run_quietly(entries, package=None):
    """Run the chapters' tests in one session, output hidden; remember and return their results.

    Results are recorded by the pytest plugin in the session itself; the
    outcomes file (``kata_tools.outcomes``) backs it up for any chapter the
    plugin did not record.
    """
    package = package or package_name()
    entries = [entry for entry in entries if entry.test_file.exists()]
    if not entries:
        return {}
    keys = {entry.label: chapter_key(entry, package) for entry in entries}
    print(t("progress.running", labels=label_ranges(entry.number for entry in entries)), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="kata-progress-") as scratch:
        outcomes_path = Path(scratch) / "outcomes.json"
        completed = subprocess.run(
            pytest_command([entry.test_file for entry in entries], "-q", "-p", "no:cacheprovider",
                           "-p", "kata_tools.outcomes", f"--outcomes-json={outcomes_path}"),
            cwd=REPO_ROOT, env={**os.environ, "KATA_IMPL": package}, capture_output=True, text=True,
        )
        outcomes = _load_json(outcomes_path)
    if completed.returncode not in (0, 1) or not outcomes:
        print(t("progress.run_failed", code=completed.returncode), file=sys.stderr)
        print("\n".join((completed.stdout + completed.stderr).strip().splitlines()[-15:]), file=sys.stderr)
    found = {}
    backup = results_from_outcomes(outcomes)
    for entry in entries:
        result = remembered(entry, package, keys[entry.label])
        if result is None and entry.label in backup:
            result = backup[entry.label]
            remember(package, {entry.label: (keys[entry.label], result)})
        if result is not None:
            found[entry.label] = result
    return found


def run_visibly(entries, package=None, extra=(), stop_after_red=False):
    """Run chapters' tests with their output on the terminal; return pytest's exit status."""
    environment = {**os.environ, "KATA_IMPL": package or package_name()}
    if stop_after_red:
        environment[STOP_AFTER_RED_VARIABLE] = "1"
    files = [entry.test_file for entry in entries]
    return subprocess.run(pytest_command(files, *extra), cwd=REPO_ROOT, env=environment).returncode


# ---------------------------------------------------------------- states
@dataclass
class ChapterStatus:
    entry: object
    state: str
    result: object = None  # ChapterResult or None when unknown
    untouched: bool = False
    blocked_by: object = None  # the first earlier chapter that is not done

    @property
    def green(self):
        return self.result.green if self.result else 0

    @property
    def total(self):
        return self.result.total if self.result else None


def own_state(result, untouched):
    """done / not started / in progress, judging the chapter alone."""
    if result is not None and result.done:
        return DONE
    return NOT_STARTED if untouched else IN_PROGRESS


def statuses(package=None, run=True, upto=None):
    """Every chapter's status, in order; runs the chapters whose remembered result is stale.

    ``upto``: stop after this chapter (later ones are not looked at).
    """
    package = package or package_name()
    entries = [entry for entry in CHAPTERS if upto is None or entry.number <= upto.number]
    keys = {entry.label: chapter_key(entry, package) for entry in entries}
    results = {entry.label: remembered(entry, package, keys[entry.label]) for entry in entries}
    stale = [entry for entry in entries if results[entry.label] is None and keys[entry.label]]
    if run and stale:
        results.update(run_quietly(stale, package))
    found = []
    blocked_by = None
    for entry in entries:
        untouched = is_untouched(entry, package)
        state = own_state(results.get(entry.label), untouched)
        status = ChapterStatus(entry, LOCKED if blocked_by else state, results.get(entry.label), untouched, blocked_by)
        found.append(status)
        if state != DONE and blocked_by is None:
            blocked_by = entry
    return found


def find_current(package=None):
    """The first chapter that is not done, as a ChapterStatus (None when all are done).

    Runs, in one quiet session, only the stale chapters that could be the
    answer: those before the first chapter already known not to be done
    (remembered red, or still the stubs, which are never green).
    """
    package = package or package_name()
    keys = {entry.label: chapter_key(entry, package) for entry in CHAPTERS}
    stale = []
    for entry in CHAPTERS:
        result = remembered(entry, package, keys[entry.label])
        if result is None and keys[entry.label] and not is_untouched(entry, package):
            stale.append(entry)
        elif result is None or not result.done:
            break
    if stale:
        run_quietly(stale, package)
    return current_chapter(statuses(package, run=False))


def current_chapter(found):
    """The first status that is not done, or None when all are."""
    return next((status for status in found if status.state != DONE), None)


# ---------------------------------------------------------------- the table
def _use_colour(stream):
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


COLOURS = {DONE: "32", IN_PROGRESS: "33", NOT_STARTED: "0", LOCKED: "2"}


def _colour(text, code, enabled):
    return f"\033[{code}m{text}\033[0m" if enabled and code != "0" else text


def _bar_characters(stream):
    encoding = (getattr(stream, "encoding", None) or "").lower()
    return ("█", "░") if "utf" in encoding else ("#", "-")


def progress_bar(fraction, width=30, characters=("█", "░")):
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return characters[0] * filled + characters[1] * (width - filled)


def render_table(found, package=None, stream=None):
    """The progress table as text."""
    stream = stream or sys.stdout
    package = package or package_name()
    colour = _use_colour(stream)
    headers = [t("progress.col.chapter"), t("progress.col.builds"), t("progress.col.state"),
               t("progress.col.steps"), t("progress.col.green")]
    rows = []
    for status in found:
        green = f"{status.green}/{status.total}" if status.total else t("progress.no_tests")
        steps = _steps_cell(status)
        rows.append([status.entry.label, title(status.entry), t(f"state.{status.state}"), steps, green, status.state])
    widths = [max(display_width(row[column]) for row in [headers, *rows]) for column in range(5)]

    def line(cells, state=None):
        text = "  ".join(pad(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        return _colour(text, COLOURS[state], colour) if state else text

    lines = [t("progress.title") + ("" if package == "katas" else " " + t("progress.package", package=package)), ""]
    lines.append("  " + line(headers))
    lines += ["  " + line(row[:5], row[5]) for row in rows]
    green = sum(status.green for status in found)
    total = sum(status.total or 0 for status in found)
    done = sum(1 for status in found if status.state == DONE)
    bar = progress_bar(green / total if total else 0.0, characters=_bar_characters(stream))
    lines += ["", f"  {_colour(bar, '32', colour)}  {round(100 * green / total) if total else 0}%",
              "  " + t("progress.totals", green=green, total=total, done=done, chapters=len(found)), ""]
    current = current_chapter(found)
    if current is None:
        lines.append(t("progress.all_done"))
    else:
        lines.append(t("progress.next", label=current.entry.label, title=title(current.entry)))
        step = current_step(current.entry, current.result, package) if current.result else None
        if step is None and current.untouched:
            functions = chapter_functions(current.entry)
            step = Step(1, len(functions), functions[0], function_line(current.entry, functions[0], package))
        if step is not None:
            lines.append("  " + t("progress.step", label=current.entry.label, index=step.index, count=step.count,
                                  function=step.function, where=step.where))
    return "\n".join(lines)


def _steps_cell(status):
    """"3/18": functions done of the chapter's functions; "0/18" while untouched; "-" when unknown."""
    try:
        counted = steps_done(status.entry, status.result)
        if counted is None and status.result is not None and status.result.done:
            counted = (len(chapter_functions(status.entry)),) * 2
        if counted is None and status.untouched:
            counted = 0, len(chapter_functions(status.entry))
    except (OSError, SyntaxError, ValueError):
        counted = None
    return f"{counted[0]}/{counted[1]}" if counted else "-"


def show_progress(package=None):
    found = statuses(package)
    print(render_table(found, package))
    return 0


# ---------------------------------------------------------------- make next
STOP_AFTER_RED_VARIABLE = "KATA_STOP_AFTER_RED"


def next_candidates(package=None):
    """The chapters ``make next`` runs: from the first chapter not known to be done, every one
    whose remembered result is stale, up to the first chapter known not to be done (remembered
    red, or still the stubs). [] when every chapter is done."""
    package = package or package_name()
    candidates = []
    for entry in CHAPTERS:
        result = remembered(entry, package)
        if result is not None and result.done:
            continue
        candidates.append(entry)
        if result is not None or is_untouched(entry, package) or not entry.test_file.exists():
            break
    return candidates


def run_next(package=None, pinned=None, extra=()):
    """Run the first chapter that is not done (or ``pinned``), with its output shown.

    Chapters remembered as done with unchanged files are skipped; stale ones
    before the current chapter run in the same session, which stops after
    the first chapter that is not green.
    """
    package = package or package_name()
    if pinned is not None:
        print(t("next.running", label=pinned.label, title=title(pinned)), flush=True)
        return run_visibly([pinned], package, extra)
    candidates = [entry for entry in next_candidates(package) if entry.test_file.exists()]
    if not candidates:
        missing = [entry for entry in next_candidates(package) if not entry.test_file.exists()]
        print(t("hint.no_tests", label=missing[0].label) if missing else t("progress.all_done"))
        return 0
    if len(candidates) == 1:
        print(t("next.running", label=candidates[0].label, title=title(candidates[0])), flush=True)
    else:
        print(t("next.running_many", labels=label_ranges(entry.number for entry in candidates)), flush=True)
    return run_visibly(candidates, package, extra, stop_after_red=True)
