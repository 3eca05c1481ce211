"""Grading a student's fork: the grade is earned by katas/, and tampering is caught and named.

Each proof builds a throwaway fork in a temporary folder: an "upstream" copy
of this repository with a freshly written manifest (as a maintainer would
commit it), then a fork of it that a student changed. The grader runs there
as CI would (``python -m kata_tools.grade`` in the fork, this interpreter,
no xdist). Most runs leave out the tests marked ``training`` (the claims do
not depend on them); the full-marks run includes everything.
"""

import base64
import json
import os
import pickle
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from kata_tools import grade as grader
from kata_tools import kata_scan, manifest
from kata_tools.chapters import CHAPTERS, REPO_ROOT

CORPUS = REPO_ROOT / "data" / "input.txt"
SOLVED_EARLY = [entry for entry in CHAPTERS if entry.number <= 5]


# ---------------------------------------------------------------- throwaway forks


def repository_files():
    """The files a clone of this repository would have (tracked, plus new files not ignored)."""
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                                cwd=REPO_ROOT, capture_output=True, check=True).stdout.decode().split("\0")
        return [name for name in listed if name and (REPO_ROOT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skipped = {".git", ".venv", ".tox", ".pytest_cache", "__pycache__", ".kata", "runs"}
        return [path.relative_to(REPO_ROOT).as_posix() for path in REPO_ROOT.rglob("*")
                if path.is_file() and not skipped & set(path.relative_to(REPO_ROOT).parts)]


def link_corpus(root):
    target = root / "data" / "input.txt"
    if not target.exists():
        target.symlink_to(CORPUS)


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """A copy of this repository with its manifest written for exactly these files."""
    root = tmp_path_factory.mktemp("upstream") / "nanogpt-katas"
    for name in repository_files():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, root / name)
    link_corpus(root)
    subprocess.run([sys.executable, "-m", "kata_tools.manifest"], cwd=root, check=True, capture_output=True)
    return root


@pytest.fixture
def fork(upstream, tmp_path):
    root = tmp_path / "fork"
    shutil.copytree(upstream, root, symlinks=True)
    return root


def solve(root, chapters):
    for entry in chapters:
        shutil.copyfile(root / "reference" / f"{entry.module}.py", root / "katas" / f"{entry.module}.py")


def grade(root, *arguments, environment=None, training=False):
    """Run the fork's grader in the fork; return (completed process, grade.json as a dict or None)."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("KATA_IMPL", "GITHUB_STEP_SUMMARY", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env.update(environment or {})
    command = [sys.executable, "-m", "kata_tools.grade", "--workers", "0", *arguments]
    if not training:
        command.append("--no-training")
    completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    result = root / grader.GRADE_JSON
    return completed, json.loads(result.read_text(encoding="utf-8")) if result.exists() else None


def explain(completed):
    return f"exit {completed.returncode}\n{completed.stdout[-4000:]}\n{completed.stderr[-3000:]}"


def points_of(result, chapters):
    return sum(result["chapters"][entry.label]["max_points"] for entry in chapters)


# ---------------------------------------------------------------- the proofs


def test_untouched_stubs_score_zero_and_min_score_sets_the_exit_status(fork, tmp_path):
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier steps\n", encoding="utf-8")
    completed, result = grade(fork, "--min-score", "1", environment={"GITHUB_STEP_SUMMARY": str(step_summary)})
    assert completed.returncode == grader.EXIT_BELOW_MINIMUM, explain(completed)
    assert result["status"] == "graded" and result["points"] == 0, explain(completed)
    assert result["below_min_score"] is True
    for label, chapter in result["chapters"].items():
        assert chapter["total"] > 0, f"chapter {label}: no tests were graded"
        assert chapter["passed"] == 0 and chapter["points"] == 0, f"chapter {label} scores on the stubs: {chapter}"
    assert result["commit"] is None or len(result["commit"]) == 40
    assert result["python"] == ".".join(map(str, sys.version_info[:3])) and result["torch"]
    summary = (fork / grader.SUMMARY_MD).read_text(encoding="utf-8")
    assert "| ❌ 06 AttentionHead | 0 / " in summary and "not written yet" in summary
    assert step_summary.read_text(encoding="utf-8") == "earlier steps\n" + summary, "the step summary was not appended"
    junit = ElementTree.parse(fork / grader.JUNIT_XML).getroot()
    assert int(junit.get("tests")) == result["total"] == int(junit.get("failures"))


def test_the_reference_copied_into_katas_scores_full_marks(fork):
    solve(fork, CHAPTERS)
    completed, result = grade(fork, training=True)
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    short = {label: (chapter["passed"], chapter["total"], chapter["reasons"])
             for label, chapter in result["chapters"].items() if chapter["points"] != chapter["max_points"]}
    assert not short, f"the reference loses points:\n{short}\n{explain(completed)}"
    assert result["points"] == result["max_points"] == points_of(result, CHAPTERS) and result["percent"] == 100
    assert result["options"]["training"] is True
    assert all(chapter["matches_reference"] for chapter in result["chapters"].values())
    junit = ElementTree.parse(fork / grader.JUNIT_XML).getroot()
    assert junit.get("failures") == "0" and int(junit.get("tests")) == result["total"]


def test_chapters_00_to_05_solved_score_exactly_their_points_whatever_else_the_fork_adds(fork):
    solve(fork, SOLVED_EARLY)
    # Things pytest would load if it ran in the fork: each would turn every test green.
    force_pass = (
        "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n"
    )
    (fork / "conftest.py").write_text(force_pass, encoding="utf-8")
    (fork / "katas" / "conftest.py").write_text(force_pass, encoding="utf-8")
    (fork / "tests" / "test_chapter06_bonus.py").write_text("def test_free_points():\n    pass\n", encoding="utf-8")
    completed, result = grade(fork)
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    assert result["points"] == points_of(result, SOLVED_EARLY), explain(completed)
    for label, chapter in result["chapters"].items():
        expected = chapter["total"] if int(label) <= 5 else 0
        assert chapter["passed"] == expected, f"chapter {label}: {chapter['passed']} of {chapter['total']} passed"
    notes = "\n".join(result["notes"])
    assert "tests/test_chapter06_bonus.py" in notes and "conftest.py" in notes and "katas/conftest.py" in notes


@pytest.mark.parametrize("protected", [
    "tests/test_chapter03_position_embedding.py", "tests/conftest.py", "kata_tools/pytest_plugin.py",
    "kata_tools/implementation.py", "kata_tools/grade.py", "pyproject.toml", "Makefile", "data/tinyshakespeare.py",
])
def test_a_modified_protected_file_is_named_instead_of_graded(fork, protected):
    with open(fork / protected, "a", encoding="utf-8") as file:
        file.write("\n# a student was here\n")
    completed, result = grade(fork)
    assert completed.returncode == grader.EXIT_REFUSED, explain(completed)
    assert result["status"] == "refused" and not result["chapters"]
    assert any(problem.startswith(f"{protected} is modified") for problem in result["problems"]), result["problems"]
    assert protected in (fork / grader.SUMMARY_MD).read_text(encoding="utf-8")
    assert protected in completed.stdout


def test_a_deleted_test_file_is_named_instead_of_graded(fork):
    (fork / "tests" / "test_chapter12_trainer.py").unlink()
    completed, result = grade(fork)
    assert completed.returncode == grader.EXIT_REFUSED, explain(completed)
    assert "tests/test_chapter12_trainer.py is missing" in " ".join(result["problems"])


def test_kata_impl_pointed_at_the_reference_is_refused_and_named(fork):
    completed, result = grade(fork, environment={"KATA_IMPL": "reference"})
    assert completed.returncode == grader.EXIT_REFUSED, explain(completed)
    assert "KATA_IMPL=reference" in result["problems"][0]
    assert "KATA_IMPL=reference" in (fork / grader.SUMMARY_MD).read_text(encoding="utf-8")


def pickled_reference_class(module, name):
    """A kata line that loads a reference class by unpickling it: no import of reference in its source."""
    sys.path.insert(0, str(REPO_ROOT))
    try:
        payload = base64.b64encode(pickle.dumps(getattr(__import__(f"reference.{module}", fromlist=[name]), name)))
    finally:
        sys.path.remove(str(REPO_ROOT))
    return f"import base64\nimport pickle\n\n{name} = pickle.loads(base64.b64decode({payload.decode()!r}))\n"


def test_a_kata_reaching_for_the_reference_scores_zero_for_its_chapter_with_the_reason(fork):
    solve(fork, SOLVED_EARLY)
    katas = fork / "katas"
    # Seen by reading the source: an import statement.
    (katas / "chapter02_token_embedding.py").write_text(
        "from reference.chapter02_token_embedding import TokenEmbedding  # noqa: F401\n", encoding="utf-8")
    # Seen only at run time: the import hides in a pickle...
    (katas / "chapter04_embedding_module.py").write_text(
        pickled_reference_class("chapter04_embedding_module", "EmbeddingModule"), encoding="utf-8")
    # ...and a read of the reference's file, by a path spelled in pieces.
    source = (katas / "chapter05_layer_norm.py").read_text(encoding="utf-8")
    (katas / "chapter05_layer_norm.py").write_text(
        "import os\n\n_peek = open(os.path.join(os.environ['FORK_ROOT'], 'refer' + 'ence', 'chapter05_layer_norm.py'))"
        "\n\n" + source, encoding="utf-8")
    assert not kata_scan.scan(katas).by_chapter["04"] and not kata_scan.scan(katas).by_chapter["05"]

    completed, result = grade(fork, environment={"FORK_ROOT": str(fork)})
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    chapters = result["chapters"]
    for label in ("02", "04", "05"):
        assert chapters[label]["points"] == 0 and chapters[label]["zeroed"], f"chapter {label}: {chapters[label]}"
    assert "katas/chapter02_token_embedding.py:1: imports the reference solution" in chapters["02"]["reasons"][0]
    assert "chapter04_embedding_module.py: imported reference" in " ".join(chapters["04"]["reasons"])
    assert "reference/chapter05_layer_norm.py" in " ".join(chapters["05"]["reasons"])
    for label in ("00", "01", "03"):
        assert chapters[label]["points"] == chapters[label]["max_points"], f"chapter {label}: {chapters[label]}"
    summary = (fork / grader.SUMMARY_MD).read_text(encoding="utf-8")
    assert "⛔ **chapter 02 scores zero**" in summary and "imports the reference solution" in summary


def git(root, *arguments):
    identity = ["-c", "user.name=Instructor", "-c", "user.email=instructor@example.invalid",
                "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *identity, *arguments], cwd=root, check=True, capture_output=True, text=True).stdout


def test_an_upstream_tag_restores_modified_files_even_when_the_fork_rewrote_its_manifest(upstream, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    template = tmp_path / "template"
    shutil.copytree(upstream, template, symlinks=True)
    git(template, "init", "-q")
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "template")
    git(template, "tag", "grading-v1")
    student = tmp_path / "student"
    git(tmp_path, "clone", "-q", str(template), str(student))
    link_corpus(student)
    # The student makes chapter 00's tests pass on the stubs and rewrites the manifest to match.
    (student / "tests" / "test_chapter00_warmup.py").write_text("def test_free_points():\n    pass\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "kata_tools.manifest"], cwd=student, check=True, capture_output=True)
    check = subprocess.run([sys.executable, "-m", "kata_tools.manifest", "--check"], cwd=student, capture_output=True)
    assert check.returncode == 0, "the rewritten manifest should fool the in-tree check: that is why the tag exists"

    completed, result = grade(student, "--upstream-ref", "grading-v1")
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    assert result["integrity"]["restored"] == ["tests/test_chapter00_warmup.py"]
    assert result["integrity"]["source"] == "upstream ref grading-v1"
    assert result["chapters"]["00"]["total"] > 1 and result["chapters"]["00"]["points"] == 0
    assert result["points"] == 0
    assert "tests/test_chapter00_warmup.py` was modified in this fork" in (student / grader.SUMMARY_MD).read_text()


def test_make_grade_passes_min_score_and_the_upstream_ref_on():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    completed = subprocess.run(["make", "-n", "grade", "MIN_SCORE=60", "UPSTREAM_REF=grading-v1"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert '-m kata_tools.grade --upstream-ref "grading-v1" --min-score "60"' in completed.stdout, completed.stdout


# ---------------------------------------------------------------- the manifest and the points


def test_the_committed_manifest_is_up_to_date():
    comparison = manifest.compare(manifest.read(REPO_ROOT), REPO_ROOT)
    assert comparison.clean, (
        f"{manifest.MANIFEST} is out of date: refresh it with `make manifest` and commit it\n  "
        + "\n  ".join(comparison.lines())
    )


def test_the_manifest_covers_everything_a_graded_run_trusts():
    listed = set(manifest.read(REPO_ROOT))
    needed = {"tests/conftest.py", "kata_tools/pytest_plugin.py", "kata_tools/implementation.py",
              "kata_tools/testing.py", "kata_tools/outcomes.py", "kata_tools/chapters.py", "kata_tools/grade.py",
              "kata_tools/graded_run.py", "kata_tools/kata_scan.py", "kata_tools/manifest.py", manifest.POINTS,
              "data/tinyshakespeare.py", "pyproject.toml", "Makefile", ".github/workflows/grade.yml",
              *(entry.test_file.relative_to(REPO_ROOT).as_posix() for entry in CHAPTERS)}
    assert not needed - listed, f"the manifest leaves out {sorted(needed - listed)}"


def test_the_points_give_every_chapter_a_share():
    points = grader.load_points((REPO_ROOT / manifest.POINTS).read_text(encoding="utf-8"))
    assert set(points["chapters"]) == {entry.label for entry in CHAPTERS}
    assert all(value > 0 for value in points["chapters"].values())


@pytest.mark.parametrize("scoring, passed, expected", [
    ("proportional", 3, 6.0), ("proportional", 0, 0), ("all_or_nothing", 3, 0), ("all_or_nothing", 4, 8),
])
def test_chapter_points_follow_the_scoring_rule(scoring, passed, expected):
    assert grader.chapter_points(8, passed, 4, scoring) == expected


def test_a_test_run_that_dies_half_way_counts_the_unfinished_tests_as_failed(tmp_path):
    ids = [f"tests/test_chapter00_warmup.py::test_{name}" for name in ("finished", "interrupted", "never_started")]
    records = [{"event": "collected", "ids": ids}]
    records += [{"event": "report", "id": ids[0], "when": when, "outcome": "passed", "duration": 0.1}
                for when in ("setup", "call", "teardown")]
    records += [{"event": "report", "id": ids[1], "when": "setup", "outcome": "passed", "duration": 0.1}]
    log = tmp_path / "graded-run.jsonl"
    log.write_text("".join(json.dumps(record) + "\n" for record in records) + '{"event": "rep', encoding="utf-8")
    collected, outcomes, violations, errors, finished = grader.read_log(log)
    assert finished is None
    points = grader.load_points((REPO_ROOT / manifest.POINTS).read_text(encoding="utf-8"))
    chapters, _ = grader.score(collected, outcomes, errors, kata_scan.KataScan(), violations, points, " (killed)")
    chapter = chapters["00"]
    assert (chapter["passed"], chapter["total"]) == (1, 3)
    assert chapter["points"] == round(points["chapters"]["00"] / 3, 2)
    messages = {test["name"]: test["message"] for test in chapter["tests"]}
    assert messages["test_interrupted"].startswith("did not finish")
    assert messages["test_never_started"].startswith("did not run") and "(killed)" in messages["test_never_started"]


# ---------------------------------------------------------------- what a kata may not do


@pytest.mark.parametrize("source, rule", [
    ("from reference.chapter06_attention_head import AttentionHead", "imports-reference"),
    ("import reference.chapter06_attention_head as solved", "imports-reference"),
    ("from gallery.alternatives import chapter06_einsum", "imports-reference"),
    ("from . import reference", "imports-reference"),
    ("import importlib\nsolved = importlib.import_module('reference.chapter06_attention_head')", "imports-reference"),
    ("path = '../reference/chapter06_attention_head.py'", "imports-reference"),
    ("solved = __import__('refer' + 'ence')", "dynamic-code"),
    ("exec('x = 1')", "dynamic-code"),
    ("from kata_tools import testing", "test-machinery"),
    ("import pytest", "test-machinery"),
    ("from unittest import mock", "test-machinery"),
    ("import inspect", "introspection"),
    ("import sys\nframe = sys._getframe(1)", "introspection"),
    ("import sys\nsys.modules['torch'] = None", "introspection"),
    ("import os\nos.environ['KATA_IMPL'] = 'katas'", "process"),
    ("from os import environ\nenviron.update(KATA_IMPL='katas')", "process"),
    ("import os\nos._exit(0)", "process"),
    ("import subprocess", "process"),
    ("import torch\ntorch.allclose = lambda *arguments, **keywords: True", "monkeypatch"),
    ("import torch\nsetattr(torch, 'equal', lambda *arguments: True)", "monkeypatch"),
    ("from torch import nn\nnn.Module.__call__ = None", "monkeypatch"),
    ("from .chapter06_attention_head import AttentionHead\nAttentionHead.forward = None", "monkeypatch"),
])
def test_the_kata_scan_catches(source, rule):
    findings, _ = kata_scan.scan_source(source, "katas/chapter07_multi_head_attention.py")
    assert rule in {finding.rule for finding in findings}, f"{source!r}: found {[str(f) for f in findings]}"


@pytest.mark.parametrize("source", [
    "import torch\nfrom torch import nn\nfrom torch.nn import functional as F\n",
    "import math\nfrom dataclasses import dataclass\n",
    "import torch\ntorch.backends.cudnn.deterministic = True\n",
    "class Head:\n    def __init__(self):\n        self.reference = 1\n",
    "message = 'compare with the reference, then try again'\n",
    "from .chapter06_attention_head import AttentionHead\n",
    "import os\ndevice = os.environ.get('DEVICE', 'cpu')\n",
])
def test_the_kata_scan_leaves_ordinary_code_alone(source):
    findings, _ = kata_scan.scan_source(source, "katas/chapter07_multi_head_attention.py")
    assert not findings, [str(finding) for finding in findings]


@pytest.mark.parametrize("package", ["reference", "katas"])
def test_the_reference_and_the_stubs_break_no_rule(package):
    scan = kata_scan.scan(REPO_ROOT / package, prefix=package)
    broken = {label: [str(finding) for finding in findings] for label, findings in scan.by_chapter.items() if findings}
    assert not broken, f"{package}/ breaks the grading rules, so a solved kata would score zero: {broken}"


def test_a_finding_in_a_helper_counts_against_the_chapters_that_import_it(tmp_path):
    katas = tmp_path / "katas"
    katas.mkdir()
    (katas / "__init__.py").write_text("", encoding="utf-8")
    (katas / "helpers.py").write_text("from reference.chapter05_layer_norm import LayerNorm  # noqa\n")
    (katas / "chapter09_transformer_block.py").write_text("from .helpers import LayerNorm  # noqa\n")
    (katas / "chapter10_vocabulary_logits.py").write_text("from .chapter09_transformer_block import LayerNorm\n")
    scan = kata_scan.scan(katas)
    assert [finding.path for finding in scan.by_chapter["09"]] == ["katas/helpers.py"]
    assert not scan.by_chapter["10"], "importing another chapter is fine: that chapter carries its own findings"


def test_a_kata_that_is_a_link_is_not_graded(tmp_path):
    katas = tmp_path / "katas"
    katas.mkdir()
    (katas / "chapter06_attention_head.py").symlink_to(REPO_ROOT / "reference" / "chapter06_attention_head.py")
    scan = kata_scan.scan(katas)
    assert [finding.rule for finding in scan.by_chapter["06"]] == ["symlink"]
    assert "chapter06_attention_head.py" not in scan.files
