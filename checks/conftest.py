"""Fixtures for the repository's own checks (not part of a learner's suite)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from kata_tools.chapters import REPO_ROOT
from kata_tools.runner import RUNNER_VARIABLE


@pytest.fixture(autouse=True)
def runner_is_make(monkeypatch):
    """The checks read the learner's messages as make writes them, however they are started (make test, tox, an IDE).

    checks/test_front_door.py checks the other runners' words.
    """
    monkeypatch.setenv(RUNNER_VARIABLE, "make")


def run_chapter_tests(package, test_files=("tests",), extra=(), tmp_path=None, timeout=600):
    """Run the chapter tests against ``package`` in a fresh interpreter; return {test id: outcome record}."""
    results_file = tmp_path / f"outcomes-{package.replace('.', '_')}.json"
    environment = {**os.environ, "KATA_IMPL": package, "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("PYTEST_XDIST_WORKER", None)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", *test_files, "-q", "-p", "no:cacheprovider", "-p", "kata_tools.outcomes",
         f"--outcomes-json={results_file}", *extra],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=timeout,
    )
    if not results_file.exists():
        raise AssertionError(f"pytest wrote no outcomes for {package}:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(results_file.read_text()), completed


@pytest.fixture
def chapter_tests(tmp_path):
    return lambda package, *args, **kwargs: run_chapter_tests(package, *args, tmp_path=tmp_path, **kwargs)


def repository_files():
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO_ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    return [name for name in listed if name and (REPO_ROOT / name).is_file()]


@pytest.fixture(scope="module")
def instructor(tmp_path_factory):
    """A copy of this checkout, with a .git of its own and its manifest: the instructor's tree (the grading proofs)."""
    root = tmp_path_factory.mktemp("instructor") / "nanogpt-katas"
    for name in repository_files():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, root / name)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("0123456789abcdef0123456789abcdef01234567\n")
    subprocess.run([sys.executable, "-m", "kata_tools.grading.manifest"], cwd=root, check=True, capture_output=True)
    return root
