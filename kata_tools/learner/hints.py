"""``make hint``: the next hint for the first failing test, one level at a time.

Every function a learner writes has three hints, kept as data in
``hints/chapterNN_<module>.toml`` at the repository root (the kata's name), one
table per function, found by its name wherever it is in the file::

    ["AttentionHead.forward"]
    nudge.en = "..."      # nudge.zh, nudge.ja
    idea.en = "..."       # idea.zh, idea.ja
    skeleton = '''...'''  # once, its comments in English (msgids: shown in the learner's language)

1. a nudge: which concept or which line of the docstring to look at again;
2. the idea: what the computation is, in words and shapes, without code;
3. the skeleton of the code, with the key pieces left as ``...``.

None of them is the answer; ``make solution`` shows that once the chapter
is green. The level reached for each function is remembered in
``.kata/hints.json``, so each ``make hint`` goes one level further.
"""

import re
import shutil

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from kata_tools.chapters import CHAPTERS, REPO_ROOT, chapter
from kata_tools.i18n import _, language, t, title, wrap
from kata_tools.implementation import package_name
from kata_tools.learner.progress import find_current, run_quietly
from kata_tools.learner.state import (
    _load_json,
    _write_json,
    current_step,
    kata_path,
    relative,
    remembered,
    state_directory,
)
from kata_tools.runner import command
from kata_tools.stubs import solution_regions

LEVELS = 3
LANGUAGES = ("en", "zh", "ja")
HINTS_DIRECTORY = REPO_ROOT / "hints"

_SHAPE_GROUP = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"(?<![\w.])[A-Za-z]+(?![\w.(])")


def _comment(line):
    """(code, comment) of a skeleton line: the comment after the first ``#`` outside quotes, or None."""
    quote = None
    for index, character in enumerate(line):
        if quote:
            quote = None if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == "#":
            return line[:index], line[index + 1:].strip()
    return line, None


def _is_words(comment):
    """A comment that says something in words ("distinct characters, sorted"), not only shapes ("(B, T, C)")."""
    return len(_WORD.findall(_SHAPE_GROUP.sub(" ", comment))) >= 2


def skeleton_comments(skeleton):
    """The comments of a skeleton that are words: each is a msgid, shown in the learner's language."""
    comments = (_comment(line)[1] for line in skeleton.splitlines())
    return [comment for comment in comments if comment and _is_words(comment)]


def translated_skeleton(skeleton):
    """The skeleton with its comments that are words in the current language (code and shapes unchanged)."""
    lines = []
    for line in skeleton.splitlines():
        code, comment = _comment(line)
        lines.append(f"{code}# {_(comment)}" if comment and _is_words(comment) else line)
    return "\n".join(lines)


def hints_file(entry):
    return HINTS_DIRECTORY / f"{entry.module}.toml"


def read_hints(entry):
    """The chapter's hint tables as written: {function: {"nudge": {...}, "idea": {...}, "skeleton": str}}.

    {} when the chapter has no hints file; raises tomllib.TOMLDecodeError when it is not valid TOML.
    """
    try:
        with open(hints_file(entry), "rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        return {}


def hints_for(entry):
    """{function: {language: [nudge, idea, skeleton]}} for one chapter ({} if none are written).

    A level missing from the file is an empty string (check_hints names it).
    """
    hints = {}
    for function, table in read_hints(entry).items():
        if not isinstance(table, dict):
            continue
        nudge, idea = table.get("nudge") or {}, table.get("idea") or {}
        skeleton = table.get("skeleton") or ""
        hints[function] = {lang: [nudge.get(lang, ""), idea.get(lang, ""), skeleton] for lang in LANGUAGES}
    return hints


def functions_of(entry):
    """The functions a learner writes in this chapter, in file order (from the reference's markers)."""
    source = entry.source_file("reference").read_text(encoding="utf-8")
    return list(dict.fromkeys(region.function for region in solution_regions(source)))


def attribute(test, functions):
    """The function a failing test is about.

    A stub's message names the function still to write, and a crash inside
    the kata names where it happened (both recorded by the pytest plugin);
    otherwise the function the test checks, from its ``@pytest.mark.kata``
    marker (checks/test_repository.py makes sure every chapter test has one).
    """
    if not functions:
        return None
    for named in (test.get("function"), test.get("kata")):
        if named in functions:
            return named
    checked = test.get("kata") or ""
    owner = checked.split(".")[0]
    return next((function for function in functions if function.split(".")[0] == owner), functions[0])


# ---------------------------------------------------------------- the remembered level
def levels_file():
    return state_directory() / "hints.json"


def remembered_level(package, label, function):
    return int(_load_json(levels_file()).get(package, {}).get(label, {}).get(function, 0))


def remember_level(package, label, function, level):
    data = _load_json(levels_file())
    data.setdefault(package, {}).setdefault(label, {})[function] = level
    try:
        _write_json(levels_file(), data)
    except OSError:
        pass


def forget_chapter(package, label):
    """Start a chapter's hints again from level 1 (``make reset`` does this)."""
    data = _load_json(levels_file())
    if data.get(package, {}).pop(label, None) is not None:
        _write_json(levels_file(), data)


# ---------------------------------------------------------------- make hint
def _indent(text, prefix="    "):
    return "\n".join(prefix + line if line.strip() else "" for line in text.strip("\n").splitlines())


def show_hint(chapter_label=None, level=None, package=None, out=print):
    """Print the next hint; returns an exit status."""
    package = package or package_name()
    if chapter_label:
        try:
            entry = chapter(chapter_label)
        except ValueError:
            out(t("bad_chapter", value=chapter_label))
            return 2
        result = remembered(entry, package)
        if result is None and entry.test_file.exists():
            result = run_quietly([entry], package).get(entry.label)
    else:
        status = find_current(package)
        if status is None:
            out(t("hint.all_done"))
            return 0
        entry, result = status.entry, status.result
        if result is None and entry.test_file.exists():
            result = run_quietly([entry], package).get(entry.label)
    if result is None or result.total == 0:
        out(t("hint.no_tests", label=entry.label))
        return 0
    failing = result.first_failing()
    if failing is None:
        out(t("hint.done", label=entry.label, title=title(entry)))
        return 0
    step = current_step(entry, result, package)  # the first step not done, in file order, as the summary says
    failing = next((test for test in result.tests if step is not None and test.get("kata") == step.function
                    and test["outcome"] != "passed"), failing)

    function = attribute(failing, functions_of(entry))
    out(t("hint.failing", label=entry.label, title=title(entry), test=failing["id"].split("::")[-1]))
    message = failing["message"].splitlines()[0] if failing["message"] else ""
    if failing["stub"] and failing.get("function") and failing.get("where"):  # in today's language
        message = t("stub.line", what=t("stub.what", chapter=entry.label, function=failing["function"]),
                    where=failing["where"])
    if message:
        out(_indent(message, "  "))
    out("")
    texts = hints_for(entry).get(function, {})
    levels = texts.get(language()) or texts.get("en")
    if not levels:
        out(t("hint.none", function=function, path=relative(kata_path(entry, package))))
        return 0

    reached = remembered_level(package, entry.label, function)
    shown = min(LEVELS, max(1, int(level))) if level else min(LEVELS, reached + 1)
    remember_level(package, entry.label, function, max(reached, shown))
    kind = t(f"hint.level{shown}")
    out(t("hint.header", level=shown, levels=LEVELS, function=function, kind=kind))
    out("")
    text = levels[shown - 1]
    if shown == LEVELS:
        text = translated_skeleton(text)
    if shown < LEVELS:  # prose: wrapped to the terminal; the shape of the code keeps its lines
        width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 4)
        text = "\n".join(wrap(text, width))
    out(_indent(text))
    out("")
    if shown < LEVELS:
        out(t("hint.more", command=command("hint", chapter=entry.label if chapter_label else None)))
    else:
        out(t("hint.last", label=entry.label, command=command("solution", chapter=entry.label)))
    return 0


def check_hints():
    """Problems with the hint data: missing functions, levels or languages (for the repository checks)."""
    problems = []
    for entry in CHAPTERS:
        try:
            written = read_hints(entry)
        except tomllib.TOMLDecodeError as error:
            problems.append(f"{hints_file(entry).relative_to(REPO_ROOT)}: {error}")
            continue
        for function, table in written.items():
            unknown = set(table) - {"nudge", "idea", "skeleton"} if isinstance(table, dict) else {"(not a table)"}
            if unknown:
                problems.append(f"chapter {entry.label} {function}: unknown keys {sorted(unknown)}")
        hints = hints_for(entry)
        for function in functions_of(entry):
            for lang in LANGUAGES:
                levels = hints.get(function, {}).get(lang)
                written = [text for text in levels or [] if isinstance(text, str) and text.strip()]
                complete = len(written) == LEVELS == len(levels)
                if not complete:
                    problems.append(f"chapter {entry.label} {function}: {lang} needs {LEVELS} hints")
        extra = set(hints) - set(functions_of(entry))
        problems += [f"chapter {entry.label}: hints for {name}, which the chapter lacks" for name in sorted(extra)]
    return problems
