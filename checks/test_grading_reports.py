"""The reports belong to the instructor: written to their folder, escaped, valid, small, and true to the exit status.

These proofs run the grader in this process with the judge replaced where
the sandbox is not the point (a crash of the judge, an interrupted run), so
they take a second; the hostile fork of checks/test_grading_untrusted.py
runs the whole path.
"""

import json
import os
import re
import xml.etree.ElementTree as ElementTree

import pytest

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.grading import grade as grader
from kata_tools.grading import judge, reports, sandbox

HOSTILE_TEXT = ("\x1b[2J\x1b[1;1H\nGrade: 100 / 100 points\r\x00\x07\x08\x0b\x0c\x7f\x85\u202e\u2028\ud800\ufffe"
                " ]]></failure><b>|`x`| ")
HUGE_NAME = "Boom" + "X" * 3_000_000
PLANTED = {"status": "graded", "points": 100, "max_points": 100, "percent": 100.0}


def hostile_results(labels):
    """{label: ChapterResult} as the judge would make them from a kata raising a hostile exception."""
    results = {}
    for label in labels:
        result = judge.ChapterResult(label)
        result.checks = [judge.CheckResult("00", "output", False, f"{HUGE_NAME}: {HOSTILE_TEXT * 40}"),
                         judge.CheckResult("01", "shape", False, HOSTILE_TEXT), judge.CheckResult("02", "mean", True)]
        result.notes = [f"note {HOSTILE_TEXT}"]
        results[label] = result
    return results


@pytest.fixture
def fake_judge(monkeypatch):
    """The grader with the sandbox check and the judge replaced: ``behaviour(katas, labels)`` gives the results."""
    monkeypatch.setattr(sandbox, "check", lambda: None)
    monkeypatch.setattr(grader, "verify_grading_files", lambda root: 0)
    box = {}
    monkeypatch.setattr(judge, "judge",
                        lambda katas, labels, seconds=None, prepared=None: box["behaviour"](katas, labels))
    return box


def fork_with_planted_reports(root):
    (root / "katas").mkdir(parents=True)
    (root / "katas" / "chapter00_warmup.py").write_text("X = 1\n")
    os.close(os.open(os.fsencode(root / "katas") + b"/n\xffo\n\x1b[31m.py", os.O_CREAT | os.O_WRONLY, 0o644))
    for name in reports.REPORTS:
        (root / name).write_text(json.dumps(PLANTED))
    return root


def test_clean_escapes_every_control_and_format_character_and_cuts():
    text = reports.clean(HOSTILE_TEXT * 100, 300)
    assert len(text) <= 300 and text.endswith("…")
    assert all(character.isprintable() for character in text), text
    assert "\\x1b[2J" in text and "\\n" in text and "\\u202e" in text and "\\ud800" in text and "\\ufffe" in text
    assert reports.clean(text, 300) == text, "cleaning twice changes nothing"
    assert reports.clean("LayerNorm: ok") == "LayerNorm: ok"


def test_hostile_text_reaches_no_report_raw_and_a_huge_class_name_keeps_them_small(fake_judge, tmp_path, capsys):
    fork = fork_with_planted_reports(tmp_path / "fork")
    labels = [entry.label for entry in CHAPTERS]
    fake_judge["behaviour"] = lambda katas, labels: hostile_results(labels)
    grade = grader.grade_fork(fork, tmp_path / "out", labels=labels)
    assert grade["status"] == "graded" and grader.exit_status(grade) == grader.EXIT_GRADED
    console = capsys.readouterr().out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2028]", console), "raw control characters printed"
    assert not [line for line in console.splitlines() if line.startswith("Grade: 100")]
    assert "katas/n\\udcffo\\n\\x1b[31m.py was left out" in console
    out = tmp_path / "out"
    ElementTree.parse(out / reports.JUNIT_XML)  # valid XML 1.0: no control character left in it
    stored = json.loads((out / reports.GRADE_JSON).read_text(encoding="ascii"))
    message = stored["chapters"]["05"]["tests"][0]["message"]
    assert message.startswith("BoomXXX") and len(message) <= reports.MESSAGE_CHARACTERS
    sizes = {name: (out / name).stat().st_size for name in reports.REPORTS}
    assert sum(sizes.values()) < 1_000_000, f"a huge exception class name made large reports: {sizes}"
    summary = (out / reports.SUMMARY_MD).read_text(encoding="utf-8")
    rows = [line for line in summary.splitlines() if line.startswith(("| ❌ | output |", "| ❌ | shape |"))]
    assert len(rows) == 2 * len(labels) and all(len(re.findall(r"(?<!\\)\|", line)) == 4 for line in rows), rows[:2]
    assert "<b>" not in summary and "\x1b" not in summary and "&lt;b&gt;\\|\\`x\\`\\|" in summary
    for name in reports.REPORTS:  # the fork's own reports: untouched, and no report was read from there
        assert json.loads((fork / name).read_text()) == PLANTED


def gfm_cells(row):
    """The cells of a GitHub Markdown table row as GitHub splits it: at each pipe not escaped by a backslash."""
    return re.findall(r"(?:\\.|[^|\\])+", row.strip().strip("|"))


def test_a_message_cannot_add_a_cell_a_link_an_image_or_emphasis_to_the_summary(fake_judge, tmp_path):
    forged = "ends the cell \\| ✅ | [regrade here](https://example.org) ![](https://example.org/p.png) **100**"

    def results(katas, labels):
        result = judge.ChapterResult("00")
        result.checks = [judge.CheckResult("00", "output", False, forged)]
        result.notes = [forged]
        return {"00": result}
    fake_judge["behaviour"] = results
    fork = tmp_path / "fork"
    (fork / "katas").mkdir(parents=True)
    grader.grade_fork(fork, tmp_path / "out", labels=["00"], echo=False)
    summary = (tmp_path / "out" / reports.SUMMARY_MD).read_text(encoding="utf-8")
    row = next(line for line in summary.splitlines() if line.startswith("| ❌ | output |"))
    assert len(gfm_cells(row)) == 3, gfm_cells(row)
    for line in (row, next(line for line in summary.splitlines() if line.startswith("ℹ️"))):
        assert not re.search(r"(?<!\\)(?:\\\\)*[[\]*]", line), line  # no unescaped [, ], *


def test_when_the_judge_fails_no_report_has_points_and_the_exit_status_says_could_not_run(fake_judge, tmp_path):
    fork = fork_with_planted_reports(tmp_path / "fork")
    out = tmp_path / "out"
    out.mkdir()
    for name in reports.REPORTS:  # an earlier run's reports, with full marks
        (out / name).write_text(json.dumps(PLANTED))

    def crash(katas, labels):
        raise RuntimeError("the judge broke \x1b[31m")
    fake_judge["behaviour"] = crash
    grade = grader.grade_fork(fork, out, minimum=50, echo=False)
    assert grader.exit_status(grade) == grader.EXIT_NOT_RUN, "below the minimum would say it was graded"
    stored = json.loads((out / reports.GRADE_JSON).read_text())
    assert stored["status"] == "error" and stored["points"] is None and stored["percent"] is None
    assert stored["chapters"] == {} and "the judge broke \\x1b[31m" in stored["problems"][0]
    assert "did not run" in (out / reports.JUNIT_XML).read_text()
    assert "not graded (error)" in (out / reports.SUMMARY_MD).read_text()

    def interrupted(katas, labels):
        raise KeyboardInterrupt
    fake_judge["behaviour"] = interrupted
    with pytest.raises(KeyboardInterrupt):
        grader.grade_fork(fork, out, echo=False)
    assert not [name for name in reports.REPORTS if (out / name).exists()], "a stale report outlived the run"


def test_the_reports_never_go_into_the_fork_or_through_a_link(fake_judge, tmp_path, capsys):
    fork = fork_with_planted_reports(tmp_path / "fork")
    fake_judge["behaviour"] = lambda katas, labels: hostile_results(["00"])
    with pytest.raises(SystemExit) as exit_status:
        grader.main(["--fork", str(fork), "--output-dir", str(fork / "reports")])
    assert exit_status.value.code == grader.EXIT_USAGE and not (fork / "reports").exists()
    assert "inside the fork" in capsys.readouterr().err
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere, target_is_directory=True)
    assert grader.main(["--fork", str(fork), "--output-dir", str(tmp_path / "link")]) == grader.EXIT_NOT_RUN
    assert "is a link" in capsys.readouterr().out and not list(elsewhere.iterdir())
    taken = tmp_path / "taken"
    (taken / reports.GRADE_JSON).mkdir(parents=True)  # a folder named like a report, where the reports go
    (taken / reports.SUMMARY_MD).write_text(json.dumps(PLANTED))
    assert grader.main(["--fork", str(fork), "--output-dir", str(taken)]) == grader.EXIT_NOT_RUN
    assert "is a folder" in capsys.readouterr().out
    assert not (taken / reports.SUMMARY_MD).exists(), "a stale report outlived a run that could not finish"
    assert grader.main(["--fork", str(fork), "--output-dir", str(tmp_path / "out")]) == grader.EXIT_GRADED
    for name in reports.REPORTS:
        assert json.loads((fork / name).read_text()) == PLANTED
        assert not (tmp_path / "out" / name).is_symlink()


def test_the_default_output_folder_is_the_grading_checkouts_and_ignored_by_git():
    assert grader.default_output_dir() == REPO_ROOT / grader.DEFAULT_OUTPUT
    ignored = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"{grader.DEFAULT_OUTPUT}/" in ignored
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "OUTPUT_DIR ?=" in makefile and '--output-dir "$(OUTPUT_DIR)"' in makefile


def test_the_grading_workflow_ships_only_what_the_judge_wrote():
    text = (REPO_ROOT / ".github" / "workflows" / "grade.yml").read_text(encoding="utf-8")
    upload = text[text.index("actions/upload-artifact@"):]
    upload = upload[: upload.index("\n      - name:")]
    paths = re.search(r"path: (.+)", upload).group(1).strip()
    assert paths == "${{ runner.temp }}/grade/", f"upload only the judge's output folder, not {paths!r}"
    assert 'OUTPUT_DIR="$RUNNER_TEMP/grade"' in text
    notice = text[text.index("grading did not run") - 400:]
    assert '"$RUNNER_TEMP/grade/' in notice and "[ ! -f grade" not in notice, (
        "the 'did not run' notice must look at the judge's output folder, which a fork cannot plant")
