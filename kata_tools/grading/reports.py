"""The grade, written down: grade.json, grade-junit.xml, grade-summary.md and the console table.

The judge writes them after the sandbox is gone, from its own verdicts.
``grade.json`` keeps the fields tools read: ``points``, ``max_points``,
``percent`` and ``chapters.<label>.{points, max_points, passed, total,
tests}``, a chapter's "tests" being the judge's checks.
"""

import json
import os
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

GRADE_JSON = "grade.json"
JUNIT_XML = "grade-junit.xml"
SUMMARY_MD = "grade-summary.md"


def _escape_cell(text, limit=240):
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("<", "&lt;")


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
        ElementTree.SubElement(case, "failure", message="grading did not run").text = "\n".join(grade["problems"])
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
            case = ElementTree.SubElement(suite, "testcase", classname=f"judge.chapter{label}", name=test["name"])
            if test["outcome"] != "passed":
                ElementTree.SubElement(case, "failure", message=test["message"][:1000]).text = test["message"]
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


def write_reports(grade, output_dir, echo=True):
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    _write(output_dir / GRADE_JSON, json.dumps(grade, indent=1, ensure_ascii=False) + "\n")
    _write(output_dir / JUNIT_XML, render_junit(grade))
    summary = render_summary(grade)
    _write(output_dir / SUMMARY_MD, summary)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as file:
            file.write(summary)
    if echo:
        print_console(grade, output_dir)


def print_console(grade, output_dir):
    print()
    if grade["status"] != "graded":
        print(f"NOT GRADED ({grade['status']}):")
        for problem in grade["problems"]:
            print(f"  - {problem}")
    else:
        for label, chapter in grade["chapters"].items():
            mark = "ok" if _complete(chapter) else ""
            print(f"  {label} {chapter['title']:<20} {chapter['passed']:>3}/{chapter['total']:<3} checks "
                  f"{fmt(chapter['points']):>6}/{fmt(chapter['max_points']):<4} points  {mark}")
            for reason in chapter["reasons"]:
                print(f"       {reason}")
        for warning in grade["warnings"] + grade["notes"]:
            print(f"  note: {warning}")
        print(f"Grade: {fmt(grade['points'])} / {fmt(grade['max_points'])} points "
              f"({grade['passed']} of {grade['total']} checks passed)")
    names = ", ".join(str(Path(output_dir) / name) for name in (GRADE_JSON, JUNIT_XML, SUMMARY_MD))
    print(f"wrote {names}")
