"""``make grade``: score katas/ against the pristine chapter tests (CI on a student's fork).

    python -m kata_tools.grade [--upstream-ref REF] [--min-score POINTS] [--output-dir DIR]
                               [--workers N|auto|0] [--no-training] [--fork DIR]

In order:

1. Refuse (exit 3, and grade.json says why) when ``KATA_IMPL`` names anything
   but ``katas``, or when a protected file (the tests, kata_tools/, the pytest
   configuration, the corpus loader, the Makefile, the grading workflow: see
   ``kata_tools/manifest.py``) differs from the manifest. With
   ``--upstream-ref`` the manifest and the files come from that git ref
   instead: a file modified here is named and graded with upstream's copy.
2. Build a sandbox in a temporary folder: the pristine protected files, the
   fork's ``katas/*.py`` (no conftest.py, no links) and the verified corpus.
   No ``reference/``, and nothing else of the fork's.
3. Read each kata for what it may not do (``kata_tools/kata_scan.py``).
4. Run every chapter's tests there, in one pytest session (no gating), with
   explicit options that the fork cannot change: the pristine pyproject.toml
   as the configuration (``-c``), ``--rootdir`` and ``--confcutdir`` at the
   sandbox, no cache, plugin autoloading off, ``PYTEST_*`` and ``PYTHON*``
   variables dropped, and the graded-run plugin (``kata_tools/graded_run.py``)
   that keeps the reference out of reach.
5. Score each chapter with the points of ``kata_tools/grading/points.json``
   (zero, with the reason, for a chapter whose kata broke a rule) and write
   grade.json, grade-junit.xml and grade-summary.md, the summary appended to
   ``$GITHUB_STEP_SUMMARY`` when that is set.

The exit status says whether grading ran, not whether the student passed:
0 graded; 1 graded but below ``--min-score``; 2 bad arguments; 3 refused
(a protected file modified, KATA_IMPL set); 4 could not run (no corpus, the
test run did not start).

``--fork DIR`` grades the katas of another checkout with this checkout's
files: an instructor's way to grade a fork with a tree the student never touched.
"""

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timezone
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from . import kata_scan, manifest
from .chapters import CHAPTERS, REPO_ROOT, chapter_of_path
from .implementation import DEFAULT_PACKAGE, ENVIRONMENT_VARIABLE

GRADE_JSON = "grade.json"
JUNIT_XML = "grade-junit.xml"
SUMMARY_MD = "grade-summary.md"
CORPUS = "data/input.txt"
CORPUS_LOADER = "data/tinyshakespeare.py"
SCHEMA_VERSION = 1

EXIT_GRADED, EXIT_BELOW_MINIMUM, EXIT_USAGE, EXIT_REFUSED, EXIT_NOT_RUN = 0, 1, 2, 3, 4


class Refused(Exception):
    """Grading must not run; ``problems`` say why, each naming what to fix."""

    def __init__(self, problems, integrity=None):
        super().__init__("; ".join(problems))
        self.problems = list(problems)
        self.integrity = integrity or {}


class NotRun(Exception):
    pass


# ---------------------------------------------------------------- points


def load_points(text):
    """{"scoring": ..., "chapters": {label: points}} from points.json's text, checked."""
    config = json.loads(text)
    scoring = config.get("scoring", "proportional")
    if scoring not in ("proportional", "all_or_nothing"):
        raise ValueError(f"{manifest.POINTS}: scoring must be 'proportional' or 'all_or_nothing', not {scoring!r}")
    chapters = config.get("chapters", {})
    missing = [entry.label for entry in CHAPTERS if entry.label not in chapters]
    if missing:
        raise ValueError(f"{manifest.POINTS}: no points for chapter(s) {', '.join(missing)}")
    for label, points in chapters.items():
        if not isinstance(points, (int, float)) or points < 0:
            raise ValueError(f"{manifest.POINTS}: chapter {label} has {points!r} points; use a number >= 0")
    return {"scoring": scoring, "chapters": {entry.label: chapters[entry.label] for entry in CHAPTERS}}


def chapter_points(max_points, passed, total, scoring):
    if total == 0:
        return 0
    if scoring == "all_or_nothing":
        return max_points if passed == total else 0
    return round(max_points * passed / total, 2)


# ---------------------------------------------------------------- the pristine files


def _git(root, *arguments, binary=False):
    completed = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, timeout=120)
    if completed.returncode != 0:
        raise NotRun(f"git {' '.join(arguments)} failed: {completed.stderr.decode(errors='replace').strip()}")
    return completed.stdout if binary else completed.stdout.decode("utf-8", errors="replace")


def pristine_from_tree(trusted_root, fork_root):
    """(files {path: bytes}, integrity) from the manifest committed in ``trusted_root``."""
    try:
        entries = manifest.read(trusted_root)
    except manifest.ManifestError as error:
        raise Refused([str(error)]) from None
    own = Path(trusted_root).resolve() == Path(fork_root).resolve()
    integrity = {"source": "the manifest in this tree" if own else f"the grading checkout {trusted_root}",
                 "manifest": manifest.MANIFEST, "files": len(entries)}
    files, modified, missing = {}, [], []
    for relative, digest in sorted(entries.items()):
        path = Path(trusted_root) / relative
        if not path.is_file():
            missing.append(relative)
            continue
        content = path.read_bytes()
        if manifest.digest_of_bytes(content) != digest:
            modified.append(relative)
        files[relative] = content
    if own:
        integrity.update(modified=modified, missing=missing)
    else:
        fork = manifest.compare(entries, fork_root)
        integrity.update(modified=[], missing=[], modified_in_fork=fork.modified + fork.missing)
    if modified or missing:
        where = "" if own else " (in the grading checkout)"
        raise Refused(
            [f"{path} is modified{where}: it differs from {manifest.MANIFEST}" for path in modified]
            + [f"{path} is missing{where}: {manifest.MANIFEST} lists it" for path in missing]
            + ["put back the upstream copies of these files, or grade with UPSTREAM_REF set to the upstream tag"],
            integrity,
        )
    integrity["ignored"] = [path for path in manifest.protected_files(fork_root) if path not in entries]
    return files, integrity


def pristine_from_ref(fork_root, ref):
    """(files, integrity) from git ``ref``: its manifest and its copies of the files; local changes are named."""
    try:
        text = _git(fork_root, "show", f"{ref}:{manifest.MANIFEST}")
        entries = manifest.parse(text, f"{ref}:{manifest.MANIFEST}")
    except (NotRun, manifest.ManifestError) as error:
        raise Refused([f"cannot read the manifest of upstream ref {ref!r}: {error}"]) from None
    archive = _git(fork_root, "archive", "--format=tar", ref, "--", *sorted(entries), binary=True)
    files = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name in entries:
                files[member.name] = tar.extractfile(member).read()
    broken = [path for path, digest in entries.items()
              if path not in files or manifest.digest_of_bytes(files[path]) != digest]
    if broken:
        raise Refused([f"upstream ref {ref!r} does not match its own manifest: {', '.join(sorted(broken))}"])
    local = manifest.compare(entries, fork_root)
    integrity = {"source": f"upstream ref {ref}", "manifest": f"{ref}:{manifest.MANIFEST}", "files": len(entries),
                 "modified": [], "missing": [], "restored": sorted(local.modified + local.missing),
                 "ignored": local.unlisted}
    return files, integrity


# ---------------------------------------------------------------- the sandbox


def corpus_digest(loader_source):
    match = re.search(r'^SHA256 = "([0-9a-f]{64})"', loader_source.decode("utf-8", errors="replace"), re.MULTILINE)
    return match.group(1) if match else None


def find_corpus(files, roots):
    expected = corpus_digest(files.get(CORPUS_LOADER, b""))
    for root in roots:
        path = Path(root) / CORPUS
        if path.is_file() and expected and hashlib.sha256(path.read_bytes()).hexdigest() == expected:
            return path
    raise NotRun(f"{CORPUS} is missing or corrupt: run `make data` (it fetches and verifies the corpus)")


def build_sandbox(sandbox, files, fork_root, kata_files, corpus):
    sandbox = Path(sandbox)
    for relative, content in files.items():
        target = sandbox / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for relative in kata_files:
        target = sandbox / "katas" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((Path(fork_root) / "katas" / relative).read_bytes())
    (sandbox / "katas").mkdir(exist_ok=True)
    (sandbox / CORPUS).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(corpus, sandbox / CORPUS)


# ---------------------------------------------------------------- the test run


def pytest_command(sandbox, log, forbidden, workers, training):
    test_files = [f"tests/test_{entry.module}.py" for entry in CHAPTERS
                  if (Path(sandbox) / "tests" / f"test_{entry.module}.py").is_file()]
    command = [sys.executable, "-s", "-m", "pytest", *test_files,
               "-c", "pyproject.toml", "--rootdir", str(sandbox), "--confcutdir", str(sandbox),
               "-p", "no:cacheprovider", "-p", "kata_tools.graded_run", f"--graded-run-log={log}",
               *[f"--graded-run-forbid={folder}" for folder in forbidden], "-qq", "--tb=line"]
    if find_spec("pytest_timeout"):
        command += ["-p", "pytest_timeout"]
    if workers not in ("0", 0) and find_spec("xdist"):
        command += ["-p", "xdist.plugin", "-n", str(workers)]
    if not training:
        command += ["-m", "not training"]
    return command, test_files


def clean_environment():
    """The environment of the test run: none of pytest's or Python's settings, none of the katas' tools'."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("PYTEST_", "PYTHON", "KATA_"))}
    environment.update({ENVIRONMENT_VARIABLE: DEFAULT_PACKAGE, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                        "PYTHONDONTWRITEBYTECODE": "1"})
    return environment


def run_pytest(command, sandbox, timeout, echo):
    output = None if echo else subprocess.PIPE
    process = subprocess.Popen(command, cwd=sandbox, env=clean_environment(), stdout=output,
                               stderr=subprocess.STDOUT if not echo else None, text=True,
                               start_new_session=os.name == "posix")
    try:
        captured, _ = process.communicate(timeout=timeout)
        return process.returncode, captured or "", False
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)  # the xdist workers too
        else:
            process.kill()
        captured, _ = process.communicate()
        return None, captured or "", True


def read_log(path):
    """(collected ids, {id: outcome record}, violations, collection errors, pytest's exit status or None)."""
    collected, phases, violations, collect_errors, finished = [], {}, [], [], None
    if Path(path).is_file():
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash
            event = record.get("event")
            if event == "collected":
                collected += [test for test in record["ids"] if test not in collected]
            elif event == "report":
                phases.setdefault(record["id"], []).append(record)
            elif event == "violation":
                violations.append(record)
            elif event == "collect-error":
                collect_errors.append(record)
            elif event == "finished":
                finished = record["exitstatus"]
    outcomes = {test: outcome_of(reports) for test, reports in phases.items()}
    return collected, outcomes, violations, collect_errors, finished


def outcome_of(reports):
    """A test's outcome from its setup/call/teardown reports; passed only if its call passed."""
    duration = round(sum(report.get("duration", 0) for report in reports), 4)
    for report in reports:
        if report["outcome"] == "failed":
            return {"outcome": "failed", "message": report.get("message", ""), "stub": report.get("stub", False),
                    "details": report.get("details", ""), "duration": duration}
    for report in reports:
        if report["outcome"] == "skipped":
            return {"outcome": "skipped", "message": report.get("message", ""), "stub": False, "duration": duration}
    if any(report["when"] == "call" and report["outcome"] == "passed" for report in reports):
        return {"outcome": "passed", "message": "", "stub": False, "duration": duration}
    return {"outcome": "failed", "message": "did not finish: the test process stopped during this test",
            "stub": False, "duration": duration}


# ---------------------------------------------------------------- scoring


def _chapter_label_of_test(test_id):
    entry = chapter_of_path(test_id.split("::")[0])
    return entry.label if entry else None


def score(collected, outcomes, collect_errors, scan, violations, points, exit_note):
    chapters, warnings = {}, []
    runtime = {}
    for violation in violations:
        label = violation.get("chapter")
        where = violation.get("kata") or violation.get("test") or "the test run"
        reason = f"{where}: {violation['detail']} during the graded run"
        if label is None:
            warnings.append(f"{reason} (not attributable to a chapter)")
        elif reason not in runtime.setdefault(label, []):
            runtime[label].append(reason)
    for entry in CHAPTERS:
        label = entry.label
        tests = []
        for test in (test for test in collected if _chapter_label_of_test(test) == label):
            record = outcomes.get(test) or {"outcome": "failed", "stub": False, "duration": 0,
                                            "message": f"did not run: the test process stopped before it{exit_note}"}
            tests.append({"id": test, "name": test.split("::", 1)[-1], **record})
        passed = sum(test["outcome"] == "passed" for test in tests)
        reasons = list(dict.fromkeys(str(finding) for finding in scan.by_chapter.get(label, [])))
        reasons += runtime.get(label, [])
        errors = [f"its tests could not be collected: {error['message']}" for error in collect_errors
                  if _chapter_label_of_test(error["id"]) == label]
        max_points = points["chapters"][label]
        earned = 0 if reasons or errors else chapter_points(max_points, passed, len(tests), points["scoring"])
        chapters[label] = {
            "title": entry.title, "module": entry.module, "passed": passed, "total": len(tests),
            "points": earned, "max_points": max_points, "zeroed": bool(reasons), "reasons": reasons + errors,
            "tests": tests,
        }
        if not tests and not errors:
            chapters[label]["reasons"].append("no tests were collected for this chapter")
    return chapters, warnings


# ---------------------------------------------------------------- facts about the run


def commit_of(root):
    try:
        commit = _git(root, "rev-parse", "HEAD").strip()
        dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=all", "--", "katas").strip())
        return commit, dirty
    except (NotRun, OSError, subprocess.SubprocessError):
        return os.environ.get("GITHUB_SHA"), None


def version_of(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


# ---------------------------------------------------------------- reports


def _escape_cell(text, limit=240):
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("<", "&lt;")


def _fmt(number):
    return f"{number:g}" if float(number).is_integer() else f"{number:.2f}"


def _complete(chapter):
    return chapter["total"] > 0 and chapter["passed"] == chapter["total"] and not chapter["zeroed"]


def render_summary(grade):
    lines = []
    if grade["status"] != "graded":
        lines += [f"## nanoGPT Katas grade: not graded ({grade['status']})", "",
                  "❌ **Grading did not run**, for these reasons:", ""]
        lines += [f"- {_escape_cell(problem, 500)}" for problem in grade["problems"]]
        lines += ["", f"commit `{(grade['commit'] or 'unknown')[:12]}` · Python {grade['python']} · "
                      f"torch {grade['torch']}", ""]
        return "\n".join(lines) + "\n"
    lines += [f"## nanoGPT Katas grade: {_fmt(grade['points'])} / {_fmt(grade['max_points'])} points", "",
              "| chapter | tests passed | points |", "|:--|--:|--:|"]
    for label, chapter in grade["chapters"].items():
        icon = "⛔" if chapter["zeroed"] else "✅" if _complete(chapter) else "❌"
        lines.append(f"| {icon} {label} {chapter['title']} | {chapter['passed']} / {chapter['total']} | "
                     f"{_fmt(chapter['points'])} / {_fmt(chapter['max_points'])} |")
    lines.append(f"| **total** | **{grade['passed']} / {grade['total']}** | "
                 f"**{_fmt(grade['points'])} / {_fmt(grade['max_points'])}** |")
    integrity = grade["integrity"]
    facts = [f"commit `{(grade['commit'] or 'unknown')[:12]}`" + (" (katas/ has uncommitted changes)"
                                                                   if grade.get("dirty") else ""),
             f"Python {grade['python']}", f"torch {grade['torch']}",
             f"tests checked against {integrity['source']} ({integrity['files']} files)"]
    if not grade["options"]["training"]:
        facts.append("**training tests left out (--no-training)**")
    lines += ["", " · ".join(facts), ""]
    for path in integrity.get("restored", []):
        lines.append(f"- ⚠️ `{path}` was modified in this fork: graded with the upstream copy")
    for path in integrity.get("modified_in_fork", []):
        lines.append(f"- ⚠️ `{path}` is modified in the fork: graded with the grading checkout's copy")
    for note in grade["warnings"] + grade["notes"]:
        lines.append(f"- ⚠️ {_escape_cell(note, 500)}")
    for label, chapter in grade["chapters"].items():
        if chapter["zeroed"]:
            reasons = "; ".join(_escape_cell(reason, 300) for reason in chapter["reasons"])
            lines.append(f"- ⛔ **chapter {label} scores zero**: {reasons}")
    lines.append("")
    for label, chapter in grade["chapters"].items():
        same = " · same code as reference/" if chapter.get("matches_reference") else ""
        lines += [f"<details><summary>Chapter {label} — {chapter['title']}: {chapter['passed']} of {chapter['total']} "
                  f"tests, {_fmt(chapter['points'])} of {_fmt(chapter['max_points'])} points{same}</summary>", ""]
        for reason in chapter["reasons"]:
            lines.append(f"{'⛔' if chapter['zeroed'] else 'ℹ️'} {_escape_cell(reason, 500)}")
            lines.append("")
        if chapter["tests"]:
            lines += ["| | test | why it failed |", "|:-:|:--|:--|"]
            for test in chapter["tests"]:
                icon = {"passed": "✅", "skipped": "⏭️"}.get(test["outcome"], "❌")
                lines.append(f"| {icon} | `{_escape_cell(test['name'], 120)}` | {_escape_cell(test['message'])} |")
            lines.append("")
        lines += ["</details>", ""]
    return "\n".join(lines) + "\n"


def render_junit(grade):
    suites = ElementTree.Element("testsuites", name="nanoGPT Katas grade")
    totals = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    if grade["status"] != "graded":
        suite = ElementTree.SubElement(suites, "testsuite", name="grading", tests="1", failures="1", skipped="0")
        case = ElementTree.SubElement(suite, "testcase", classname="grading", name="grading ran")
        ElementTree.SubElement(case, "failure", message="grading did not run").text = "\n".join(grade["problems"])
        totals.update(tests=1, failures=1)
    for label, chapter in grade.get("chapters", {}).items():
        failures = sum(test["outcome"] == "failed" for test in chapter["tests"]) + (1 if chapter["zeroed"] else 0)
        skipped = sum(test["outcome"] == "skipped" for test in chapter["tests"])
        seconds = sum(test.get("duration", 0) for test in chapter["tests"])
        count = len(chapter["tests"]) + (1 if chapter["zeroed"] else 0)
        suite = ElementTree.SubElement(
            suites, "testsuite", name=f"chapter {label} {chapter['title']}", tests=str(count),
            failures=str(failures), errors="0", skipped=str(skipped), time=f"{seconds:.3f}")
        properties = ElementTree.SubElement(suite, "properties")
        for name in ("points", "max_points", "passed", "total"):
            ElementTree.SubElement(properties, "property", name=name, value=str(chapter[name]))
        if chapter["zeroed"]:
            case = ElementTree.SubElement(suite, "testcase", classname=f"grading.chapter{label}", name="integrity")
            ElementTree.SubElement(case, "failure", message="chapter scores zero").text = "\n".join(chapter["reasons"])
        for test in chapter["tests"]:
            module = test["id"].split("::")[0].removesuffix(".py").replace("/", ".")
            case = ElementTree.SubElement(suite, "testcase", classname=module, name=test["name"],
                                          time=f"{test.get('duration', 0):.3f}")
            if test["outcome"] == "failed":
                ElementTree.SubElement(case, "failure", message=test["message"][:1000]).text = (
                    test.get("details") or test["message"])
            elif test["outcome"] == "skipped":
                ElementTree.SubElement(case, "skipped", message=test["message"][:1000])
        totals["tests"] += count
        totals["failures"] += failures
        totals["skipped"] += skipped
        totals["time"] += seconds
    suites.set("tests", str(totals["tests"]))
    suites.set("failures", str(totals["failures"]))
    suites.set("skipped", str(totals["skipped"]))
    suites.set("time", f"{totals['time']:.3f}")
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def write_reports(grade, output_dir, echo=True):
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    public = {**grade, "chapters": {label: {**chapter, "tests": [
        {key: value for key, value in test.items() if key not in ("details", "stub")} for test in chapter["tests"]]}
        for label, chapter in grade.get("chapters", {}).items()}}
    (output_dir / GRADE_JSON).write_text(json.dumps(public, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (output_dir / JUNIT_XML).write_text(render_junit(grade), encoding="utf-8")
    summary = render_summary(grade)
    (output_dir / SUMMARY_MD).write_text(summary, encoding="utf-8")
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
            mark = "ZERO" if chapter["zeroed"] else "ok" if _complete(chapter) else ""
            print(f"  {label} {chapter['title']:<20} {chapter['passed']:>3}/{chapter['total']:<3} tests "
                  f"{_fmt(chapter['points']):>6}/{_fmt(chapter['max_points']):<4} points  {mark}")
            for reason in chapter["reasons"]:
                print(f"       {reason}")
        for warning in grade["warnings"] + grade["notes"]:
            print(f"  note: {warning}")
        print(f"Grade: {_fmt(grade['points'])} / {_fmt(grade['max_points'])} points "
              f"({grade['passed']} of {grade['total']} tests passed)")
    names = ", ".join(str(Path(output_dir) / name) for name in (GRADE_JSON, JUNIT_XML, SUMMARY_MD))
    print(f"wrote {names}")


# ---------------------------------------------------------------- main


def base_grade(fork_root, options):
    commit, dirty = commit_of(fork_root)
    return {
        "schema": SCHEMA_VERSION, "status": "graded", "points": 0, "max_points": 0, "percent": 0.0,
        "passed": 0, "total": 0, "commit": commit, "dirty": dirty,
        "python": ".".join(map(str, sys.version_info[:3])), "torch": version_of("torch"),
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "options": options,
        "integrity": {}, "problems": [], "warnings": [], "notes": [], "chapters": {},
    }


def grade_fork(fork_root, trusted_root, upstream_ref=None, workers="auto", training=True, timeout=3600,
               echo=True, keep_sandbox=False):
    """Grade ``fork_root``'s katas/; return (grade dict, exit status before --min-score)."""
    fork_root, trusted_root = Path(fork_root).resolve(), Path(trusted_root).resolve()
    options = {"upstream_ref": upstream_ref, "training": training, "workers": str(workers),
               "fork": None if fork_root == trusted_root else str(fork_root)}
    grade = base_grade(fork_root, options)
    started = time.monotonic()
    try:
        package = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
        if package and package != DEFAULT_PACKAGE:
            raise Refused([f"{ENVIRONMENT_VARIABLE}={package} is set: a graded run tests katas/ and nothing else; "
                           f"unset {ENVIRONMENT_VARIABLE}"])
        if upstream_ref:
            files, integrity = pristine_from_ref(fork_root, upstream_ref)
        else:
            files, integrity = pristine_from_tree(trusted_root, fork_root)
        grade["integrity"] = integrity
        points = load_points(files[manifest.POINTS].decode("utf-8"))
        corpus = find_corpus(files, [fork_root, trusted_root])
        scan = kata_scan.scan(fork_root / "katas")
        grade["notes"] += scan.notes
        grade["notes"] += [f"{path}: not part of the upstream files; the graded run ignores it"
                           for path in integrity.get("ignored", [])]
        grade["notes"] += [f"{path.relative_to(fork_root).as_posix()}: never loaded by the graded run"
                           for path in sorted(fork_root.glob("conftest.py"))]
        with tempfile.TemporaryDirectory(prefix="kata-grade-") as temporary:
            sandbox = Path(temporary) / "sandbox"
            build_sandbox(sandbox, files, fork_root, scan.files, corpus)
            log = Path(temporary) / "graded-run.jsonl"
            forbidden = sorted({str(fork_root), str(trusted_root)})
            command, test_files = pytest_command(sandbox, log, forbidden, workers, training)
            if not test_files:
                raise NotRun("the pristine tree has no chapter test files")
            print(f"grading katas/ of {fork_root} against {integrity['source']}", flush=True)
            returncode, output, timed_out = run_pytest(command, sandbox, timeout, echo)
            collected, outcomes, violations, collect_errors, finished = read_log(log)
            if keep_sandbox:
                kept = Path(tempfile.mkdtemp(prefix="kata-grade-kept-"))
                shutil.copytree(temporary, kept, dirs_exist_ok=True)
                print(f"sandbox kept in {kept}")
        if not collected and not collect_errors:
            raise NotRun(f"the test run collected nothing (pytest exit status {returncode}): {output[-2000:]}")
        exit_note = " (the run timed out)" if timed_out else f" (pytest exit status {returncode})"
        grade["chapters"], warnings = score(collected, outcomes, collect_errors, scan, violations, points, exit_note)
        grade["warnings"] += warnings
        if timed_out:
            grade["warnings"].append(f"the test run was stopped after {timeout} s; "
                                     "tests that had not run count as failed")
        elif finished is None or returncode not in (0, 1):
            grade["warnings"].append(f"the test run ended abnormally (pytest exit status {returncode}); "
                                     "tests that had not run count as failed")
        for label, chapter in grade["chapters"].items():
            entry = next(entry for entry in CHAPTERS if entry.label == label)
            reference = next((root / "reference" / f"{entry.module}.py" for root in (fork_root, trusted_root)
                              if (root / "reference" / f"{entry.module}.py").is_file()), None)
            kata = fork_root / "katas" / f"{entry.module}.py"
            chapter["matches_reference"] = bool(reference and kata.is_file() and kata_scan.same_code(kata, reference))
        grade["points"] = round(sum(chapter["points"] for chapter in grade["chapters"].values()), 2)
        grade["max_points"] = sum(chapter["max_points"] for chapter in grade["chapters"].values())
        grade["percent"] = round(100 * grade["points"] / grade["max_points"], 1) if grade["max_points"] else 0.0
        grade["passed"] = sum(chapter["passed"] for chapter in grade["chapters"].values())
        grade["total"] = sum(chapter["total"] for chapter in grade["chapters"].values())
        status = EXIT_GRADED
    except Refused as refusal:
        grade.update(status="refused", problems=refusal.problems)
        grade["integrity"] = grade["integrity"] or refusal.integrity
        status = EXIT_REFUSED
    except (NotRun, ValueError, KeyError) as error:
        grade.update(status="error", problems=[str(error)])
        status = EXIT_NOT_RUN
    except Exception as error:  # noqa: BLE001 - the exit status must still say that grading did not run
        grade.update(status="error", problems=[f"the grader failed: {type(error).__name__}: {error}"])
        status = EXIT_NOT_RUN
    grade["seconds"] = round(time.monotonic() - started, 1)
    return grade, status


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream-ref", default="", help="take the manifest and the protected files from this "
                        "git ref (a tag fetched from the template), restoring any that this tree modified")
    parser.add_argument("--min-score", default="", help="exit 1 when the grade is below this many points")
    parser.add_argument("--output-dir", type=Path, help="where grade.json and the others go (default: the fork)")
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers: a number, auto, or 0 for none")
    parser.add_argument("--no-training", action="store_true",
                        help="leave out the tests marked training (quick runs; the grade says so)")
    parser.add_argument("--fork", type=Path, default=REPO_ROOT,
                        help="grade the katas/ of this checkout with this checkout's pristine files")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds the whole test run may take")
    parser.add_argument("--keep-sandbox", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    minimum = None
    if arguments.min_score.strip():
        try:
            minimum = float(arguments.min_score)
        except ValueError:
            parser.error(f"--min-score must be a number of points, not {arguments.min_score!r}")
    if not (arguments.fork / "katas").is_dir() and not (arguments.fork / ".git").exists():
        parser.error(f"{arguments.fork} is not a checkout of nanoGPT Katas (no katas/)")
    grade, status = grade_fork(arguments.fork, REPO_ROOT, arguments.upstream_ref.strip() or None,
                               arguments.workers, not arguments.no_training, arguments.timeout,
                               keep_sandbox=arguments.keep_sandbox)
    grade["options"]["min_score"] = minimum
    if status == EXIT_GRADED and minimum is not None and grade["points"] < minimum:
        grade["below_min_score"] = True
        status = EXIT_BELOW_MINIMUM
    write_reports(grade, arguments.output_dir or arguments.fork)
    if status == EXIT_BELOW_MINIMUM:
        print(f"below the minimum: {_fmt(grade['points'])} < {_fmt(minimum)} points (MIN_SCORE)")
    return status


if __name__ == "__main__":
    sys.exit(main())
