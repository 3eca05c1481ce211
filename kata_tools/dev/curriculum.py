"""What is generated from ``curriculum.toml``: the READMEs' chapter tables and the grading points.

    python -m kata_tools.dev.curriculum            rewrite them (make curriculum)
    python -m kata_tools.dev.curriculum --check    exit 1, naming the stale files, when they are out of date

The chapter table of README.md, README.zh.md and README.ja.md sits between the
``TABLE_BEGIN`` and ``TABLE_END`` markers; everything outside them is left as
it is. ``kata_tools/grading/points.json`` is written whole (``make grade``
reads it). ``make test`` runs the check (checks/test_curriculum.py).
"""

import argparse
import json
import sys

from kata_tools.chapters import CHAPTERS, CURRICULUM, REPO_ROOT, SCORING
from kata_tools.runner import command

TABLE_BEGIN = "<!-- chapter table: generated from curriculum.toml by `make curriculum`, do not edit by hand -->"
TABLE_END = "<!-- end of the chapter table -->"
POINTS = "kata_tools/grading/points.json"

# README file, language, the table's header, and how a tutorial chapter is named in that language
# (the chapter, and what joins its sections to it)
READMES = (
    ("README.md", "en", ("chapter", "you write: the tutorial's classes, methods and parameter names",
                         "what it teaches", "tutorial sections"), ("Ch. {:02d}", ", ")),
    ("README.zh.md", "zh", ("章", "你要写的：教程的类、方法和参数名", "学到什么", "教程的章节"),
     ("第 {:02d} 章", "，")),
    ("README.ja.md", "ja", ("章", "書くもの：チュートリアルのクラス・メソッド・引数の名前", "学ぶこと",
                            "チュートリアルの節"), ("第 {:02d} 章", " ")),
)


class StaleError(Exception):
    pass


def tutorial_reference(entry, form):
    """Where ``entry`` is in the tutorial, e.g. "Ch. 06, S2–S8, S10" (just "Ch. 00" without sections)."""
    chapter_form, joiner = form
    text = chapter_form.format(entry.tutorial)
    return text + joiner + entry.sections if entry.sections else text


def chapter_table(language, header, form):
    """The Markdown table of every chapter: what to write, what it teaches, where in the tutorial."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [f"| {entry.label} | {entry.api[language]} | {entry.summary[language]} | "
              f"{tutorial_reference(entry, form)} |" for entry in CHAPTERS]
    return "\n".join(lines)


def with_table(text, language, header, form, name):
    """``text`` with the part between the markers replaced by the chapter table."""
    begin, end = text.find(TABLE_BEGIN), text.find(TABLE_END)
    if begin < 0 or end < begin:
        raise StaleError(f"{name} has no generated chapter table: put the lines {TABLE_BEGIN!r} and "
                         f"{TABLE_END!r} where it belongs, then run `{command('curriculum')}`")
    return text[: begin + len(TABLE_BEGIN)] + "\n\n" + chapter_table(language, header, form) + "\n\n" + text[end:]


def points_json():
    """points.json's text: the scoring rule and each chapter's points, from curriculum.toml."""
    config = {
        "about": f"Generated from {CURRICULUM.name} by `make curriculum`: change the points there. "
                 "scoring 'proportional': a chapter earns its points in proportion to the tests it passes; "
                 "'all_or_nothing': only when every one of its tests passes.",
        "scoring": SCORING,
        "chapters": {entry.label: entry.points for entry in CHAPTERS},
    }
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def generated(root=REPO_ROOT):
    """{relative path: the text it should have} for every generated file."""
    files = {}
    for name, language, header, form in READMES:
        files[name] = with_table((root / name).read_text(encoding="utf-8"), language, header, form, name)
    files[POINTS] = points_json()
    return files


def stale(root=REPO_ROOT):
    """The relative paths whose text differs from what curriculum.toml generates."""
    return [name for name, text in generated(root).items()
            if not (root / name).is_file() or (root / name).read_text(encoding="utf-8") != text]


def write(root=REPO_ROOT):
    """Rewrite the stale files (each written whole, through a temporary file); returns their paths."""
    changed = stale(root)
    files = generated(root)
    for name in changed:
        path = root / name
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(files[name], encoding="utf-8", newline="\n")
        temporary.replace(path)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    arguments = parser.parse_args(argv)
    try:
        if arguments.check:
            changed = stale()
            if changed:
                print(f"out of date with {CURRICULUM.name}: {', '.join(changed)} (run `{command('curriculum')}`)",
                      file=sys.stderr)
                return 1
            print(f"the chapter tables and points match {CURRICULUM.name}")
            return 0
        changed = write()
    except StaleError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"rewrote {', '.join(changed)}" if changed else f"everything matches {CURRICULUM.name} already")
    return 0


if __name__ == "__main__":
    sys.exit(main())
