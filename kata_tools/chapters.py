"""The curriculum's table of contents, read from ``curriculum.toml``.

``curriculum.toml`` at the repository root is the one source of truth for the
chapter list (number, module, title, summary in en/zh/ja, points, the classes
the tools build, the tutorial chapter followed). This module reads it once, at
import, into ``CHAPTERS``; every other tool asks this module.

Raises ``CurriculumError`` at import when the file is missing or malformed: the
message names the file and the field to fix.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (requirements.txt installs it there)
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
CURRICULUM = REPO_ROOT / "curriculum.toml"
LANGUAGES = ("en", "zh", "ja")
SCORINGS = ("proportional", "all_or_nothing")
MAP_BUILDS = ("model", "token", "head", "config")
MAP_INPUTS = ("ids", "vectors")


class CurriculumError(ValueError):
    """curriculum.toml is missing, not TOML, or a chapter's field is wrong."""


@dataclass(frozen=True)
class Chapter:
    number: int
    module: str  # e.g. "chapter06_attention_head"
    title: str  # the tutorial's name, e.g. "AttentionHead"
    tutorial: int  # the chapter of "Everyone's nanoGPT" this one follows
    points: float  # what it is worth in `make grade`
    classes: tuple = ()  # the classes the tools import from it, e.g. ("AttentionHead",)
    summary: dict = field(default_factory=dict, hash=False)  # {"en": ..., "zh": ..., "ja": ...}
    map: dict = field(default=None, hash=False)  # {"build": ..., "input": ...} for `make map`, or None
    api: dict = field(default_factory=dict, hash=False)  # what the learner writes, {"en": ..., "zh": ..., "ja": ...}
    sections: str = ""  # the tutorial's sections it follows, e.g. "S1–S7"
    titles: dict = field(default_factory=dict, hash=False)  # {"zh": ..., "ja": ...} where the title is words

    @property
    def label(self):
        return f"{self.number:02d}"

    @property
    def builds(self):
        """What it teaches, in English: one line for tables."""
        return self.summary["en"]

    @property
    def test_file(self):
        return REPO_ROOT / "tests" / f"test_{self.module}.py"

    def source_file(self, package):
        return REPO_ROOT / package / f"{self.module}.py"


def _fail(where, problem):
    raise CurriculumError(f"{CURRICULUM.name}: {where}: {problem}")


def _chapter(index, table):
    where = f"chapter {index} (the {index + 1}. [[chapter]] table)"
    for name, kind in (("number", int), ("module", str), ("title", str), ("tutorial", int),
                       ("points", (int, float)), ("classes", list), ("summary", dict)):
        if not isinstance(table.get(name), kind) or isinstance(table.get(name), bool):
            _fail(where, f"`{name}` is missing or not a {getattr(kind, '__name__', 'number')}")
    if table["number"] != index:
        _fail(where, f"`number = {table['number']}`: chapters are numbered 0, 1, 2, ... in file order")
    if not table["module"].startswith(f"chapter{index:02d}_"):
        _fail(where, f"`module = {table['module']!r}` should start with 'chapter{index:02d}_'")
    if table["points"] < 0:
        _fail(where, f"`points = {table['points']}`: use a number >= 0")
    missing = [language for language in LANGUAGES if not isinstance(table["summary"].get(language), str)]
    if missing:
        _fail(where, f"`summary` needs a line in {', '.join(missing)}")
    api = table.get("api", "")
    if isinstance(api, str):
        api = dict.fromkeys(LANGUAGES, api)
    if not isinstance(api, dict) or any(not isinstance(api.get(language), str) for language in LANGUAGES):
        _fail(where, f"`api` should be one line, or a table with a line in each of {', '.join(LANGUAGES)}")
    if not isinstance(table.get("sections", ""), str):
        _fail(where, "`sections` should be a string such as \"S1–S7\"")
    titles = {language: table[f"title_{language}"] for language in LANGUAGES[1:] if f"title_{language}" in table}
    if any(not isinstance(text, str) or not text for text in titles.values()):
        _fail(where, "`title_zh` and `title_ja` should be the title in words, when it is words (\"Warm-up\")")
    chapter_map = table.get("map")
    if chapter_map is not None and (chapter_map.get("build") not in MAP_BUILDS
                                    or chapter_map.get("input") not in MAP_INPUTS):
        _fail(where, f"`map` needs build = one of {MAP_BUILDS} and input = one of {MAP_INPUTS}")
    return Chapter(number=index, module=table["module"], title=table["title"], tutorial=table["tutorial"],
                   points=table["points"], classes=tuple(table["classes"]), summary=dict(table["summary"]),
                   map=dict(chapter_map) if chapter_map else None, api=api, sections=table.get("sections", ""),
                   titles=titles)


def load(path=CURRICULUM):
    """(chapters, scoring) from the curriculum file at ``path``; raises CurriculumError."""
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise CurriculumError(f"{path} is missing: it lists the chapters; restore it with git") from None
    except tomllib.TOMLDecodeError as error:
        raise CurriculumError(f"{Path(path).name} is not valid TOML: {error}") from None
    tables = data.get("chapter")
    if not isinstance(tables, list) or not tables:
        raise CurriculumError(f"{Path(path).name} has no [[chapter]] tables")
    scoring = data.get("scoring", "proportional")
    if scoring not in SCORINGS:
        raise CurriculumError(f"{Path(path).name}: scoring must be one of {SCORINGS}, not {scoring!r}")
    return tuple(_chapter(index, table) for index, table in enumerate(tables)), scoring


CHAPTERS, SCORING = load()
FIRST, LAST = CHAPTERS[0], CHAPTERS[-1]


def chapter(number_or_label):
    """The Chapter for 6, "6" or "06"."""
    number = int(number_or_label)
    for candidate in CHAPTERS:
        if candidate.number == number:
            return candidate
    raise ValueError(f"there is no chapter {number_or_label!r}: chapters run from {FIRST.label} to {LAST.label}")


def chapter_of_path(path):
    """The Chapter whose test or source file ``path`` is, or None."""
    name = Path(str(path)).name
    for candidate in CHAPTERS:
        if candidate.module in name:
            return candidate
    return None


def defining(class_name):
    """The Chapter whose module defines ``class_name`` (one of its ``classes``); raises KeyError."""
    for candidate in CHAPTERS:
        if class_name in candidate.classes:
            return candidate
    raise KeyError(f"no chapter of {CURRICULUM.name} lists the class {class_name!r}")
