"""The maintainers' promises: katas/ is generated from reference/, and every test fails on the stubs."""

import os
import subprocess
import sys

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.dev.katagen import drift


def test_katas_are_generated_from_reference():
    problems = drift()
    assert not problems, (
        "katas/ and reference/ have drifted (edit reference/, then `make katas`):\n" + "\n".join(problems)
    )


def test_every_chapter_has_a_kata_a_reference_and_a_test_file():
    missing = [
        str(path.relative_to(REPO_ROOT))
        for entry in CHAPTERS
        for path in (entry.source_file("katas"), entry.source_file("reference"), entry.test_file)
        if not path.exists()
    ]
    assert not missing, f"missing curriculum files: {missing}"


def test_every_chapter_test_fails_on_the_stubs_with_a_not_written_yet_message(chapter_tests):
    results, completed = chapter_tests("katas")
    assert results, f"no test ran on the stubs:\n{completed.stdout[-3000:]}"
    passed = [test for test, record in results.items() if record["outcome"] == "passed"]
    skipped = [test for test, record in results.items() if record["outcome"] == "skipped"]
    not_stub = [f"{test}: {record['message']}" for test, record in results.items()
                if record["outcome"] == "failed" and not record["stub"]]
    assert not passed, f"these tests pass on the untouched stubs, so they can't tell a learner anything: {passed}"
    assert not skipped, f"these tests skip on the stubs: {skipped}"
    assert not not_stub, (
        "on the stubs every failure should be the stub's 'not written yet', but these failed otherwise:\n"
        + "\n".join(not_stub)
    )
    chapters_seen = {record["chapter"] for record in results.values()}
    all_chapters = {entry.label for entry in CHAPTERS}
    assert chapters_seen == all_chapters, f"chapters without tests: {sorted(all_chapters - chapters_seen)}"


def test_collection_is_clean_on_the_stubs():
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT, capture_output=True, text=True, env={**os.environ, "KATA_IMPL": "katas"},
    )
    assert completed.returncode == 0, (
        f"collecting the tests on the stubs fails:\n{completed.stdout[-3000:]}{completed.stderr[-2000:]}"
    )
