"""The grade, written down: grade.json, grade-junit.xml, grade-summary.md and the console table.

The judge writes them after the sandbox is gone, from its own verdicts, into
the instructor's output folder (never a fork's). ``grade.json`` keeps the
fields tools read: ``points``, ``max_points``, ``percent`` and
``chapters.<label>.{points, max_points, passed, total, tests}``, a chapter's
"tests" being the judge's checks; when grading did not finish (``status``
"refused" or "error") they are ``null``: no points.

Every string a student controls (file names, exception text) is passed
through ``clean`` before it is stored, and again before it is printed or
written: escaped (no control, format or unpaired surrogate characters, so
the console cannot be rewritten and the JUnit file is XML 1.0) and cut.
"""

import json
import os
import tempfile
import unicodedata
import xml.etree.ElementTree as ElementTree
from pathlib import Path

GRADE_JSON = "grade.json"
JUNIT_XML = "grade-junit.xml"
SUMMARY_MD = "grade-summary.md"
REPORTS = (GRADE_JSON, JUNIT_XML, SUMMARY_MD)
MESSAGE_CHARACTERS = 1000  # a check's message, a note or a reason


class ReportError(Exception):
    """The reports cannot be written where they were asked for; the message says what to do."""


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(character):
    if character in _NAMED:
        return _NAMED[character]
    if unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or character in "\ufffe\uffff":
        code = ord(character)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return character


def clean(text, limit=MESSAGE_CHARACTERS):
    """``text`` (anything; a student's) as at most ``limit`` printable characters, control characters escaped."""
    text = text if isinstance(text, str) else str(text)
    text = "".join(_escaped(character) for character in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Markdown's inline syntax, shown as text: the backslash too (a student's "\|" must not end the cell), the table's
# pipe, code, emphasis, links and images; no HTML.
_MARKDOWN = str.maketrans({**{character: "\\" + character for character in "\\|`*_~[]"},
                           "<": "&lt;", ">": "&gt;"})


def _escape_cell(text, limit=240):
    """``text`` (a student's) on one line of Markdown, as plain text: no cell, link, image, emphasis or HTML."""
    return " ".join(clean(text, limit).split()).translate(_MARKDOWN)


def fmt(number):
    return f"{number:g}" if float(number).is_integer() else f"{number:.2f}"


def _complete(chapter):
    return chapter["total"] > 0 and chapter["passed"] == chapter["total"]


def render_summary(grade):
    lines = []
    facts = (f"commit `{(grade['commit'] or 'unknown')[:12]}`"
             + (" (katas/ has uncommitted changes)" if grade.get("dirty") else "")
             + f" · Python {grade['python']} · torch {grade['torch']}")
    if grade["status"] != "graded":
        lines += [f"## nanoGPT Katas grade: not graded ({grade['status']})", "",
                  "❌ **Grading did not run**, for these reasons:", ""]
        lines += [f"- {_escape_cell(problem, 500)}" for problem in grade["problems"]]
        return "\n".join(lines + ["", facts, ""]) + "\n"
    lines += [f"## nanoGPT Katas grade: {fmt(grade['points'])} / {fmt(grade['max_points'])} points", "",
              "| chapter | checks passed | points |", "|:--|--:|--:|"]
    for label, chapter in grade["chapters"].items():
        icon = "✅" if _complete(chapter) else "❌"
        lines.append(f"| {icon} {label} {chapter['title']} | {chapter['passed']} / {chapter['total']} | "
                     f"{fmt(chapter['points'])} / {fmt(chapter['max_points'])} |")
    lines.append(f"| **total** | **{grade['passed']} / {grade['total']}** | "
                 f"**{fmt(grade['points'])} / {fmt(grade['max_points'])}** |")
    lines += ["", facts + f" · judged by {grade['integrity'].get('judge', 'this checkout')}", ""]
    for note in grade["warnings"] + grade["notes"]:
        lines.append(f"- ⚠️ {_escape_cell(note, 500)}")
    lines.append("")
    for label, chapter in grade["chapters"].items():
        lines += [f"<details><summary>Chapter {label} — {chapter['title']}: {chapter['passed']} of "
                  f"{chapter['total']} checks, {fmt(chapter['points'])} of {fmt(chapter['max_points'])} points"
                  "</summary>", ""]
        for reason in chapter["reasons"]:
            lines += [f"ℹ️ {_escape_cell(reason, 500)}", ""]
        if chapter["tests"]:
            lines += ["| | check | why it failed |", "|:-:|:--|:--|"]
            for test in chapter["tests"]:
                icon = "✅" if test["outcome"] == "passed" else "❌"
                lines.append(f"| {icon} | {_escape_cell(test['name'], 160)} | {_escape_cell(test['message'])} |")
            lines.append("")
        lines += ["</details>", ""]
    return "\n".join(lines) + "\n"


def render_junit(grade):
    suites = ElementTree.Element("testsuites", name="nanoGPT Katas grade")
    totals = {"tests": 0, "failures": 0}
    if grade["status"] != "graded":
        suite = ElementTree.SubElement(suites, "testsuite", name="grading", tests="1", failures="1", skipped="0")
        case = ElementTree.SubElement(suite, "testcase", classname="grading", name="grading ran")
        ElementTree.SubElement(case, "failure", message="grading did not run").text = "\n".join(
            clean(problem) for problem in grade["problems"])
        totals.update(tests=1, failures=1)
    for label, chapter in grade.get("chapters", {}).items():
        failures = sum(test["outcome"] != "passed" for test in chapter["tests"])
        suite = ElementTree.SubElement(
            suites, "testsuite", name=f"chapter {label} {chapter['title']}", tests=str(len(chapter["tests"])),
            failures=str(failures), errors="0", skipped="0", time="0")
        properties = ElementTree.SubElement(suite, "properties")
        for name in ("points", "max_points", "passed", "total"):
            ElementTree.SubElement(properties, "property", name=name, value=str(chapter[name]))
        for test in chapter["tests"]:
            case = ElementTree.SubElement(suite, "testcase", classname=f"judge.chapter{label}",
                                          name=clean(test["name"], 200))
            if test["outcome"] != "passed":
                message = clean(test["message"])
                ElementTree.SubElement(case, "failure", message=message).text = message
        totals["tests"] += len(chapter["tests"])
        totals["failures"] += failures
    suites.set("tests", str(totals["tests"]))
    suites.set("failures", str(totals["failures"]))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _write(path, text):
    """Write ``text`` to ``path`` through a new temporary file: never half a report, never through a link."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def output_folder(output_dir):
    """``output_dir``, made if missing; ``ReportError`` when it is a link or not a folder."""
    output_dir = Path(output_dir)
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        raise ReportError(f"{clean(str(output_dir), 4000)} is a link or not a folder: give an output folder "
                          "of your own (OUTPUT_DIR=, --output-dir)")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"cannot make the output folder {clean(str(output_dir), 4000)}: "
                          f"{clean(getattr(error, 'strerror', None) or error, 200)}") from None
    return output_dir


def remove_reports(output_dir):
    """Delete the reports in ``output_dir`` (an earlier run's): none is left to be taken for this run's."""
    output_dir = output_folder(output_dir)
    problems = []
    for name in REPORTS:
        path = output_dir / name
        if path.is_dir() and not path.is_symlink():
            problems.append(f"{clean(str(path), 4000)} is a folder: remove it, or choose another output folder")
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            problems.append(f"cannot remove the old report {clean(str(path), 4000)}: "
                            f"{clean(getattr(error, 'strerror', None) or error, 200)}")
    if problems:
        raise ReportError("; ".join(problems))


def write_reports(grade, output_dir, echo=True):
    """Write the three reports into ``output_dir`` (replacing, never writing through, what is there).

    Raises ``ReportError`` (with no report of this grade left behind) when they cannot be written.
    """
    output_dir = output_folder(output_dir)
    summary = render_summary(grade)
    try:
        _write(output_dir / GRADE_JSON, json.dumps(grade, indent=1, ensure_ascii=True) + "\n")
        _write(output_dir / JUNIT_XML, render_junit(grade))
        _write(output_dir / SUMMARY_MD, summary)
    except (OSError, UnicodeError) as error:
        for name in REPORTS:
            try:
                (output_dir / name).unlink()
            except OSError:
                pass
        raise ReportError(f"cannot write the reports into {clean(str(output_dir), 4000)}: "
                          f"{clean(getattr(error, 'strerror', None) or error, 200)}") from None
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as file:
            file.write(summary)
    if echo:
        print_console(grade, output_dir)


def print_console(grade, output_dir=None):
    print()
    if grade["status"] != "graded":
        print(f"NOT GRADED ({clean(grade['status'], 40)}):")
        for problem in grade["problems"]:
            print(f"  - {clean(problem)}")
    else:
        for label, chapter in grade["chapters"].items():
            mark = "ok" if _complete(chapter) else ""
            print(f"  {label} {chapter['title']:<20} {chapter['passed']:>3}/{chapter['total']:<3} checks "
                  f"{fmt(chapter['points']):>6}/{fmt(chapter['max_points']):<4} points  {mark}")
            for reason in chapter["reasons"]:
                print(f"       {clean(reason)}")
        for warning in grade["warnings"] + grade["notes"]:
            print(f"  note: {clean(warning)}")
        print(f"Grade: {fmt(grade['points'])} / {fmt(grade['max_points'])} points "
              f"({grade['passed']} of {grade['total']} checks passed)")
    if output_dir is not None:
        names = ", ".join(clean(str(Path(output_dir) / name), 4000) for name in REPORTS)
        print(f"wrote {names}")
