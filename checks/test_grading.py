"""Grading can be trusted: the judge decides outside the student's process, the katas run in a sandbox.

Each proof grades a throwaway fork with a throwaway copy of this checkout
(the "instructor"), as ``make grade FORK=...`` does: ``python -m
kata_tools.grading --fork FORK`` run in the instructor's copy. The attacks
of every kind are packed into one fork, one or two per chapter, since every
chapter runs in a process of its own; honest forks must keep full marks.
The gallery proof runs every mistake and alternative through the judge in
one sandbox.
"""

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.dev.mistakes import entries
from kata_tools.grading import checks as judge_checks
from kata_tools.grading import grade as grader
from kata_tools.grading import judge, manifest, reports
from kata_tools.stubs import BEGIN

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="grading needs bubblewrap (bwrap)")

MODULES = {entry.label: entry.module for entry in CHAPTERS}
ATTACK_CHAPTER_SECONDS = 4  # the proofs shorten the 60 s a chapter may run, to keep make test quick


# ---------------------------------------------------------------- throwaway trees (the instructor's: conftest.py)


def stub_fork(root):
    (root / "katas").mkdir(parents=True)
    for path in (REPO_ROOT / "katas").glob("*.py"):
        shutil.copyfile(path, root / "katas" / path.name)
    return root


def solved_fork(root):
    (root / "katas").mkdir(parents=True)
    for path in (REPO_ROOT / "reference").glob("*.py"):
        shutil.copyfile(path, root / "katas" / path.name)
    return root


def tree_digest(root):
    """{relative path: sha256 or link target} of everything under ``root``, links not followed."""
    digests = {}
    for path in sorted(Path(root).rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            digests[relative] = "-> " + os.readlink(path)
        elif path.is_file():
            digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def run_grader(instructor, fork, output, *arguments, environment=None, timeout=900):
    """Grade ``fork`` with the instructor's copy; return (completed, grade.json or None, seconds)."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("KATA_IMPL", "GITHUB_STEP_SUMMARY", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env.update(environment or {})
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "kata_tools.grading", "--fork", str(fork), "--output-dir", str(output), *arguments],
        cwd=instructor, env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - started
    result = Path(output) / reports.GRADE_JSON
    return completed, (json.loads(result.read_text(encoding="utf-8")) if result.exists() else None), seconds


def explain(completed):
    return f"exit {completed.returncode}\n{completed.stdout[-4000:]}\n{completed.stderr[-3000:]}"


def processes_with(marker):
    """Command lines of the processes still running that carry ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in command:
                found.append(command)
    return found


# ---------------------------------------------------------------- untouched stubs, reports, exit statuses


def test_untouched_stubs_score_zero_and_the_reports_keep_their_fields(instructor, tmp_path):
    fork = stub_fork(tmp_path / "fork")
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier steps\n", encoding="utf-8")
    loaded = tmp_path / "loaded.json"
    # Run the grader as `make grade` does, and note every file of the instructor's copy it loaded.
    wrapper = textwrap.dedent(f"""
        import atexit, json, runpy, sys
        atexit.register(lambda: open({str(loaded)!r}, "w").write(json.dumps(
            [getattr(module, "__file__", None) for module in list(sys.modules.values())])))
        sys.argv = ["kata_tools.grading", "--fork", {str(fork)!r}, "--min-score", "1"]
        runpy.run_module("kata_tools.grading", run_name="__main__", alter_sys=True)
    """)
    env = {name: value for name, value in os.environ.items() if name not in ("KATA_IMPL", "PYTEST_XDIST_WORKER")}
    completed = subprocess.run([sys.executable, "-c", wrapper], cwd=instructor, capture_output=True, text=True,
                               env={**env, "GITHUB_STEP_SUMMARY": str(step_summary)}, timeout=600)
    assert completed.returncode == grader.EXIT_BELOW_MINIMUM, explain(completed)
    output = instructor / grader.DEFAULT_OUTPUT  # the reports go to the grading checkout, never into the fork
    assert not (fork / reports.GRADE_JSON).exists()
    result = json.loads((output / reports.GRADE_JSON).read_text(encoding="utf-8"))
    assert result["status"] == "graded" and result["points"] == 0 and result["below_min_score"] is True
    assert result["max_points"] == 100 and result["percent"] == 0.0
    for label, chapter in result["chapters"].items():
        assert chapter["total"] > 0 and chapter["passed"] == 0 and chapter["points"] == 0, (label, chapter)
        assert all("NotImplementedError" in test["message"] for test in chapter["tests"]), chapter["tests"]
    summary = (output / reports.SUMMARY_MD).read_text(encoding="utf-8")
    assert "| ❌ 06 AttentionHead | 0 / " in summary
    assert step_summary.read_text(encoding="utf-8") == "earlier steps\n" + summary
    junit = ElementTree.parse(output / reports.JUNIT_XML).getroot()
    assert int(junit.get("tests")) == result["total"] == int(junit.get("failures"))
    # What a graded run loads from the grading checkout is exactly what the manifest covers.
    files = {Path(name).resolve() for name in json.loads(loaded.read_text()) if name}
    own = sorted(path.relative_to(instructor).as_posix() for path in files if instructor in path.parents)
    covered = set(manifest.read(instructor))
    assert own and not [name for name in own if name not in covered], (
        f"the judge loads files the manifest does not cover: {[name for name in own if name not in covered]}")


def test_the_manifest_is_up_to_date_and_a_changed_grading_file_is_refused(tmp_path):
    assert manifest.compare(manifest.read(), REPO_ROOT).clean, "run `make manifest` and commit it"
    copy = tmp_path / "checkout"
    for relative in manifest.read():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / relative, copy / relative)
    (copy / manifest.MANIFEST).write_bytes((REPO_ROOT / manifest.MANIFEST).read_bytes())
    assert grader.verify_grading_files(copy) == len(manifest.read())
    with open(copy / "reference" / "chapter05_layer_norm.py", "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
    with pytest.raises(grader.Refused, match="reference/chapter05_layer_norm.py"):
        grader.verify_grading_files(copy)


def test_without_bubblewrap_grading_refuses_and_says_so(instructor, tmp_path):
    fork = stub_fork(tmp_path / "fork")
    completed, result, _ = run_grader(instructor, fork, tmp_path / "out", environment={"PATH": str(tmp_path)})
    assert completed.returncode == grader.EXIT_NOT_RUN, explain(completed)
    assert result["status"] == "error" and "bubblewrap" in result["problems"][0], result["problems"]
    assert "bubblewrap" in completed.stdout


def test_points_follow_the_scoring_rule():
    assert grader.chapter_points(8, 3, 4, "proportional") == 6
    assert grader.chapter_points(8, 3, 4, "all_or_nothing") == 0
    assert grader.chapter_points(8, 4, 4, "all_or_nothing") == 8


# ---------------------------------------------------------------- attacks


STEAL = """
import os as _os, threading as _threading, subprocess as _subprocess, ctypes as _ctypes
def _stolen(target):
    def by_link():
        _os.link(target, "/tmp/_h.py")
        return open("/tmp/_h.py").read()
    def by_dir_fd():
        folder = _os.open(_os.path.dirname(target), _os.O_RDONLY)
        return _os.read(_os.open(_os.path.basename(target), _os.O_RDONLY, dir_fd=folder), 10**6).decode()
    def by_torch():
        import torch
        return bytes(torch.from_file(target, size=_os.path.getsize(target), dtype=torch.uint8).tolist()).decode()
    def by_thread():
        box = []
        thread = _threading.Thread(target=lambda: box.append(_os.popen("cat " + target).read()))
        thread.start(); thread.join()
        return box[0]
    def by_libc():
        libc = _ctypes.CDLL(None)
        descriptor = libc.open(target.encode(), 0)
        buffer = _ctypes.create_string_buffer(10**6)
        return buffer.raw[: libc.read(descriptor, buffer, 10**6)].decode()
    routes = [lambda: open(target).read(), by_dir_fd, by_link, by_torch, by_thread, by_libc,
              lambda: _subprocess.run(["cat", target], capture_output=True, text=True).stdout,
              lambda: open("/proc/1/root" + target).read()]
    for route in routes:
        try:
            source = route()
            if "BEGIN SOLUTION" in source:
                return source
        except BaseException:
            pass
    return None
for _target in {targets}:
    _source = _stolen(_target)
    if _source:  # the reference, or a classmate's solution: become it
        exec(compile(_source.replace("from .", "from katas."), "stolen", "exec"), globals())
        break
"""

ATTACKS = {
    # report rewriting through sys.modules, patched comparison helpers (torch, numpy, the worker's own)
    "00": """
import sys, torch, numpy
vars(torch)["allclose"] = lambda *a, **k: True
numpy.allclose = numpy.array_equal = lambda *a, **k: True
for _module in list(sys.modules.values()):
    for _name in ("run", "encode", "decode", "differs", "compare", "judge_chapter", "write_reports"):
        try:
            setattr(_module, _name, lambda *a, **k: {{"passed": True, "points": 100}})
        except Exception:
            pass
""",
    # a detached process that rewrites grade.json after grading, and one left sleeping
    "03": """
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["sh", "-c", "while :; do echo '{{\\"points\\": 100}}' > {output}/grade.json; "
                                       "sleep 0.2; done # {marker}"])
    os._exit(0)
""",
    # destroy the instructor's reference/ and .git, rewrite the judge, its manifest and the grade
    "04": """
import shutil
for _path in ["{instructor}/reference", "{instructor}/.git", "{classmate}"]:
    shutil.rmtree(_path, ignore_errors=True)
for _path in ["{instructor}/kata_tools/grading/judge.py", "{instructor}/kata_tools/grading/MANIFEST.sha256",
              "{output}/grade.json", "{fork}/grade.json"]:
    try:
        open(_path, "w").write("hacked")
    except OSError:
        pass
""",
    # an infinite loop that swallows every exception and ignores the signals it can
    "05": """
import signal
for _signal in (signal.SIGXCPU, signal.SIGTERM, signal.SIGALRM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_signal, signal.SIG_IGN)
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
""",
    # kill the worker: the judge must start a fresh sandbox for the chapters left
    "06": """
import os, signal
os.kill(os.getppid(), signal.SIGKILL)
""",
    # allocate 60 GB
    "07": """
import torch
try:
    _big = torch.ones(60 * 2**30, dtype=torch.uint8)
except BaseException:
    pass
try:
    _big = bytearray(60 * 2**30)
except BaseException:
    pass
""",
    # fork many processes that stay
    "08": """
import os, time
for _ in range(500):
    try:
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "3600", "{marker}"])
    except OSError:
        break
""",
    # write huge files
    "09": """
import signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
for _path in ["/tmp/huge", "{output}/huge", "{instructor}/huge", "/job/huge"]:
    try:
        with open(_path, "wb") as _file:
            for _ in range(1024):
                _file.write(b"x" * 2**20)
    except OSError:
        pass
""",
    # forge the worker's results: every chapter "answered", then "done"
    "12": """
import json, os
_descriptor = int(open("/proc/self/cmdline").read().split("\\0")[-2])
_request = json.loads(open("/job/request.json").read())
for _chapter in _request["chapters"]:
    _results = {{run["id"]: {{"outputs": run["arguments"]}} for run in _chapter["runs"]}}
    os.write(_descriptor, (json.dumps({{"key": _chapter["key"], "results": _results}}) + "\\n").encode())
os.write(_descriptor, b'{{"done": true}}\\n')
""",
}


def attack_fork(root, instructor, classmate, output, marker):
    """A stub fork with every attack: in the katas, and in files a careless grader would load."""
    stub_fork(root)
    places = {"instructor": instructor, "classmate": classmate, "output": output, "fork": root, "marker": marker}
    for label, module in MODULES.items():
        targets = [f"{instructor}/reference/{module}.py", f"{classmate}/katas/{module}.py"]
        code = STEAL.replace("{targets}", repr(targets))
        attack = textwrap.dedent(ATTACKS.get(label, "")).format(**places)
        with open(root / "katas" / f"{module}.py", "a", encoding="utf-8") as file:
            file.write("\n" + code + "\n" + attack)
    touched = Path(marker)  # each of these would create the marker file if anything ran it
    touch = f"open({str(touched)!r}, 'w').write('ran')\n"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").write_text(f"#!/bin/sh\ntouch {touched}\nexec python3 \"$@\"\n")
    (root / ".venv" / "bin" / "python").chmod(0o755)
    site = root / ".venv" / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    site.mkdir(parents=True)
    (site / "evil.pth").write_text(f"import os; {touch}")
    (root / "katas" / "evil.pth").write_text(f"import os; {touch}")
    for folder in ("kata_tools", "katas"):
        (root / folder / "__pycache__").mkdir(parents=True, exist_ok=True)
    solved = compile((instructor / "reference" / f"{MODULES['02']}.py").read_text(), "reference", "exec")
    import importlib.util
    import marshal
    pyc = importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(solved)
    (root / "katas" / "__pycache__" / f"{MODULES['02']}.cpython-{sys.version_info[0]}{sys.version_info[1]}.pyc"
     ).write_bytes(pyc)
    (root / "kata_tools" / "__pycache__" / "grade.cpython-311.pyc").write_bytes(pyc)
    (root / "tarfile.py").write_text(touch)
    (root / "katas" / "tarfile.py").write_text(touch)
    (root / "Makefile").write_text(f"grade:\n\ttouch {touched}\n")
    # A kata that is a link to the instructor's reference, and one of 60 MB (the reference, padded).
    (root / "katas" / f"{MODULES['01']}.py").unlink()
    (root / "katas" / f"{MODULES['01']}.py").symlink_to(instructor / "reference" / f"{MODULES['01']}.py")
    padded = (instructor / "reference" / f"{MODULES['11']}.py").read_text() + ("#" * 99 + "\n") * 600_000
    (root / "katas" / f"{MODULES['11']}.py").write_text(padded)
    return root


def test_every_attack_scores_what_the_stubs_score_and_changes_nothing_outside_the_sandbox(instructor, tmp_path):
    marker = f"kata-attack-{uuid.uuid4().hex}"
    classmate = solved_fork(tmp_path / "classmate")
    fork, output = tmp_path / "fork", tmp_path / "out"
    attack_fork(fork, instructor, classmate, output, tmp_path / marker)
    for name in (reports.GRADE_JSON, reports.SUMMARY_MD, f".{reports.GRADE_JSON}.tmp"):  # links out of the fork
        (fork / name).symlink_to(classmate / "katas" / f"{MODULES['05']}.py")
    output.mkdir()
    before = {root: tree_digest(root) for root in (instructor, classmate, fork)}
    completed, result, seconds = run_grader(instructor, fork, output,
                                            "--chapter-seconds", str(ATTACK_CHAPTER_SECONDS))
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    time.sleep(1.5)  # time for a process that outlived the sandbox to rewrite grade.json
    after = json.loads((output / reports.GRADE_JSON).read_text(encoding="utf-8"))
    assert after == result, "grade.json changed after the grader had written it"
    scored = {label: chapter["points"] for label, chapter in result["chapters"].items() if chapter["points"]}
    assert result["points"] == 0 and not scored, f"attacks gained points: {scored}\n{explain(completed)}"
    for root, digests in before.items():  # the fork too: the reports never go there
        assert tree_digest(root) == digests, f"files changed outside the sandbox, in {root}"
    assert not (tmp_path / marker).exists(), "a file of the fork was run outside the sandbox"
    assert not list(output.glob("huge*")), "a kata wrote outside the sandbox"
    assert not processes_with(marker), f"processes outlived grading: {processes_with(marker)}"
    bound = 60 + len(CHAPTERS) * (ATTACK_CHAPTER_SECONDS + judge.GRACE_SECONDS)
    assert seconds < bound, f"grading took {seconds:.0f} s, over its bound of {bound} s"
    notes = " ".join(result["notes"])
    assert "chapter01_data_loader.py is a link" in notes and "chapter11_bigram_language_model.py is over" in notes
    assert result["chapters"]["05"]["reasons"], "the endless loop of chapter 05 should be named"
    # after the loop, and after chapter 06 killed the worker: still graded (08 imports chapter 06, so it dies too)
    for label in ("10",):
        messages = [test["message"] for test in result["chapters"][label]["tests"]]
        assert all("NotImplementedError" in message for message in messages), (label, messages)


# ---------------------------------------------------------------- honest forks


HARMLESS = """

import inspect
import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"
PATH_LENGTH = len(sys.path)
NOTE = "when stuck, compare with reference/ after `make solution`"


def describe(thing, eval=False):
    return inspect.getdoc(thing) if eval else None
"""


def test_honest_forks_keep_full_marks_with_harmless_lines_and_tmpdir_behind_a_link(instructor, tmp_path):
    fork = solved_fork(tmp_path / "fork")
    for path in (fork / "katas").glob("chapter*.py"):
        with open(path, "a", encoding="utf-8") as file:
            file.write(HARMLESS)
    real = tmp_path / "real-tmp"
    real.mkdir()
    (tmp_path / "tmp-link").symlink_to(real, target_is_directory=True)
    completed, result, _ = run_grader(instructor, fork, tmp_path / "out",
                                      environment={"TMPDIR": str(tmp_path / "tmp-link")})
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    short = {label: [test["message"] for test in chapter["tests"] if test["outcome"] != "passed"]
             for label, chapter in result["chapters"].items() if chapter["points"] != chapter["max_points"]}
    assert not short and result["points"] == result["max_points"] == 100 and result["percent"] == 100, short


def test_a_feed_forward_using_torch_compile_keeps_full_marks(instructor, tmp_path):
    fork = solved_fork(tmp_path / "fork")
    path = fork / "katas" / f"{MODULES['08']}.py"
    source = path.read_text(encoding="utf-8").replace("from torch import nn", "import torch\nfrom torch import nn")
    source, count = re.subn(r"return self\.net\((\w+)\)", r"return torch.compile(self.net)(\1)", source)
    assert count == 1, "the reference's FeedForward.forward changed: update this proof"
    path.write_text(source, encoding="utf-8")
    # Inductor compiles every graph cold in a fresh sandbox (eval, backward, a training graph per dropout rate): on a
    # busy machine that takes longer than the chapter's default 60 s, a limit of time, not what is proven here.
    completed, result, _ = run_grader(instructor, fork, tmp_path / "out", "--chapters", "08",
                                      "--chapter-seconds", "180")
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    chapter = result["chapters"]["08"]
    assert chapter["points"] == chapter["max_points"], chapter["tests"]


def test_every_step_a_learner_writes_is_judged():
    """Every module-level function with a solution region in reference/ is called by the judge."""
    modules = judge.reference_modules([entry.label for entry in CHAPTERS])
    unjudged = []
    for entry in CHAPTERS:
        source = entry.source_file("reference").read_text(encoding="utf-8")
        written = [node.name for node in ast.parse(source).body
                   if isinstance(node, ast.FunctionDef) and BEGIN in ast.get_source_segment(source, node)]
        plan = judge_checks.plan(entry.label, modules)
        judged = {run.arguments.get("function") for run in plan.runs}
        unjudged += [f"chapter {entry.label}: {name}" for name in written if name not in judged]
    assert not unjudged, f"steps the judge never calls (add them to kata_tools/grading/steps.py): {unjudged}"


# ---------------------------------------------------------------- the gallery


def dependents(label):
    """``label`` and every chapter whose reference imports it, directly or not."""
    imports = {entry.label: set(re.findall(r"from \.chapter(\d\d)_", entry.source_file("reference").read_text()))
               for entry in CHAPTERS}
    found, grown = {label}, True
    while grown:
        grown = False
        for other, needs in imports.items():
            if other not in found and needs & found:
                found.add(other)
                grown = True
    return sorted(found)


GALLERY_SHIM = '''"""The sandbox's stand-in for gallery/: an entry's correct chapter is its package's _correct_ copy."""

import importlib
import sys


def correct_chapter(module_name):
    package, _, module = module_name.rpartition(".")
    correct = importlib.import_module(f"{package}._correct_{module}")
    entry = sys.modules.get(module_name)
    if entry is not None and "__getattr__" not in vars(entry):
        entry.__getattr__ = lambda attribute: getattr(correct, attribute)
    return correct
'''


def gallery_package(entry, folder):
    """The entry as a kata folder: the reference, with the entry's chapter module in place of its own."""
    folder.mkdir(parents=True)
    for path in (REPO_ROOT / "reference").glob("*.py"):
        shutil.copyfile(path, folder / path.name)
    module = entry.chapter.module
    shutil.copyfile(REPO_ROOT / "gallery" / f"{entry.kind}s" / entry.name / f"{module}.py", folder / f"{module}.py")
    shutil.copyfile(REPO_ROOT / "reference" / f"{module}.py", folder / f"_correct_{module}.py")


@pytest.mark.parametrize("kind", ["mistake", "alternative"])
def test_every_mistake_loses_points_and_every_alternative_keeps_full_marks(kind, tmp_path):
    (tmp_path / "gallery").mkdir()
    (tmp_path / "gallery" / "__init__.py").write_text(GALLERY_SHIM, encoding="utf-8")
    packages, items = {"gallery": tmp_path / "gallery"}, []
    for entry in entries(kind):
        name = f"g_{entry.name}"
        gallery_package(entry, tmp_path / name)
        packages[name] = tmp_path / name
        labels = [entry.chapter.label] if kind == "mistake" else dependents(entry.chapter.label)
        items += [(name, label) for label in labels]
    assert items, f"no {kind} in gallery/"
    results = judge.judge_packages(packages, items)
    wrong = []
    for name, label in items:
        checks = results[name, label].checks
        passed = sum(check.passed for check in checks)
        if kind == "mistake" and passed == len(checks):
            wrong.append(f"{name}: chapter {label} keeps full marks")
        if kind == "alternative" and passed < len(checks):
            failed = [f"{check.name}: {check.message}" for check in checks if not check.passed]
            wrong.append(f"{name}: chapter {label} loses points: {failed}")
    assert not wrong, "\n".join(wrong)
