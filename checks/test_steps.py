"""Steps turn green one at a time, in file order.

For every chapter and every function k of it (its solution regions in file order: the steps, then the
class methods), with functions 1..k written (the reference's code) and the rest stubs, the tests tagged
with function k pass; with function k a stub too, each of them fails. One pytest run covers every
chapter (kata_tools/dev/step_order.py runs each test on both packages).
"""

import ast
import json
import os
import subprocess
import sys

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.dev.steps import prefix_package
from kata_tools.learner.state import chapter_functions
from kata_tools.stubs import solution_regions

PREFIX = "steps_"
MINIMUM_STUBS = 100  # the tutorial's sections with blanks, cut into steps

# Class tests that need a later method of their class: the constructor calls it (DataLoader.__init__
# encodes the text), or the test calls it. Each is a test to re-tag with the method it needs, or to
# split; until then it is listed here, and the check fails once one of them no longer needs it.
NEEDS_A_LATER_METHOD = set()


def stub_count():
    """How many solution regions reference/ holds (kata_tools.stubs), each a stub in katas/."""
    count = 0
    for entry in CHAPTERS:
        path = entry.source_file("reference")
        count += len(solution_regions(path.read_text(encoding="utf-8"), str(path)))
    return count


def test_the_katas_hold_at_least_100_stubs():
    count = stub_count()
    katas = sum((REPO_ROOT / "katas").joinpath(f"{entry.module}.py").read_text(encoding="utf-8").count(
        "raise NotImplementedError(\"chapter ") for entry in CHAPTERS)
    assert katas == count, f"katas/ is stale: {katas} stubs for {count} solution regions (make katas)"
    assert count >= MINIMUM_STUBS, f"{count} solution regions in reference/, {katas} stubs in katas/"


def tagged_functions(test_file):
    """Every name in a ``@pytest.mark.kata("...")`` of a chapter's test file."""
    names = set()
    for node in ast.walk(ast.parse(test_file.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "kata"
                and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
    return names


def test_every_step_and_method_has_a_test_of_its_own():
    """Progress counts a step done when its tests pass: a step without a test would count before it is written.

    That each of those tests fails while its step is a stub is the next check's [stub] cases.
    """
    untested = {}
    for entry in CHAPTERS:
        tagged = tagged_functions(entry.test_file)
        missing = [function for function in chapter_functions(entry) if function not in tagged]
        if missing:
            untested[entry.label] = missing
    assert not untested, (
        "these steps and methods have no test tagged @pytest.mark.kata(\"...\") with their name, so progress "
        f"would count them before they are written: {untested}"
    )


def test_every_steps_tests_pass_once_it_is_written_and_fail_on_its_stub(tmp_path):
    for entry in CHAPTERS:
        for written in range(len(chapter_functions(entry)) + 1):
            prefix_package(tmp_path / "packages", f"{PREFIX}{entry.label}_{written}", entry, written)
    outcomes_path = tmp_path / "outcomes.json"
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "packages"), "KATA_STEP_PREFIX": PREFIX,
                   "KATA_STATE_DIR": str(tmp_path / "state")}
    environment.pop("PYTEST_XDIST_WORKER", None)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "-q", "-n", "0", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-p", "kata_tools.dev.step_order", "-p", "kata_tools.outcomes", f"--outcomes-json={outcomes_path}"],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True,
    )
    assert outcomes_path.exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    outcomes = json.loads(outcomes_path.read_text(encoding="utf-8"))
    written = {test: record for test, record in outcomes.items() if test.endswith("written]")}
    stubbed = {test: record for test, record in outcomes.items() if test.endswith("stub]")}
    assert written and len(written) == len(stubbed), f"{len(written)} written cases, {len(stubbed)} stub cases"
    needs_later = [f"{test}: {record['message'].splitlines()[0] if record['message'] else record['outcome']}"
                   for test, record in written.items()
                   if record["outcome"] != "passed" and test.split("[")[0] not in NEEDS_A_LATER_METHOD]
    listed = {test.split("[")[0] for test, record in written.items() if record["outcome"] != "passed"}
    assert not NEEDS_A_LATER_METHOD - listed, (
        "these tests pass with their own method and the earlier ones written: take them off "
        f"NEEDS_A_LATER_METHOD: {sorted(NEEDS_A_LATER_METHOD - listed)}")
    assert not needs_later, "these tests fail with their step and every earlier one written:\n" + "\n".join(needs_later)
    passes_on_stub = [f"{test}: {record['outcome']}" for test, record in stubbed.items()
                      if record["outcome"] != "failed"]
    assert not passes_on_stub, "these tests pass with their own step still a stub:\n" + "\n".join(passes_on_stub)
