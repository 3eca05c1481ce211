"""What a learner's progress remembers: records in ``.kata/``, chapter keys, results, steps.

A chapter's result is remembered in ``.kata/results/<package>.json`` by the
pytest plugin of every session that runs a whole chapter (``make chapterNN``,
``make next``, the Testing view in VS Code, plain pytest), keyed by a hash of
the files the result depends on: its kata file, the earlier kata files it
imports, its test file and the test helpers. Change any of them and the
remembered result no longer counts. "Not started" is decided without running
anything: the kata file is compared with the stubs ``kata_tools.dev.katagen``
generates from the reference. The test process (the pytest plugin) and the
learner tools read and write this state; ``kata_tools.learner.progress``
prints it as a table.
"""

import ast
import hashlib
import importlib.util
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata_tools.chapters import CHAPTERS, REPO_ROOT
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


# ---------------------------------------------------------------- states
def own_state(result, untouched):
    """done / not started / in progress, judging the chapter alone."""
    if result is not None and result.done:
        return DONE
    return NOT_STARTED if untouched else IN_PROGRESS
