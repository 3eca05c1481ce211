"""A class is graded as its forks are one by one, whatever one of them does.

One mixed class, graded once by ``make grade-class`` in a throwaway copy of
this checkout (the "instructor"), serves every proof (a module-scoped
fixture): a solved fork, the stubs (a commit of the same repository, named
by the roster's ``commit``), a LayerNorm mistake (the last commit before the
roster's ``deadline``), a hostile fork, one over the size bound, a path that
does not exist and a folder that is no clone. Each graded fork is also
graded alone (``python -m kata_tools.grading --fork``) and the class must
agree with it check by check; the class is graded again in two shards,
merged, and the gradebook must be the one run's, byte for byte. The proofs
grade chapters 00 and 05 only, with 10 s a chapter, to keep make test quick.
"""

import base64
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checks.test_grading import MODULES, tree_digest
from kata_tools.chapters import REPO_ROOT
from kata_tools.grading import autograding, classroom, reports
from kata_tools.grading.bench import MISTAKE

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="grading needs bubblewrap (bwrap)")

CHAPTERS = "00,05"
CLASS_ARGS = ["--chapters", CHAPTERS, "--chapter-seconds", "10", "--fetch-bytes", str(3 * 1024 * 1024)]
GIT_ENV = {"GIT_AUTHOR_NAME": "student", "GIT_AUTHOR_EMAIL": "s@example.org", "GIT_COMMITTER_NAME": "student",
           "GIT_COMMITTER_EMAIL": "s@example.org"}
HOSTILE = """
import os, signal
for _path in {targets!r}:
    try:
        with open(_path, "w") as _file:
            _file.write("# changed by a classmate\\n")
    except OSError:
        pass
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""


def environment():
    return {**{name: value for name, value in os.environ.items()
               if name not in ("KATA_IMPL", "GITHUB_STEP_SUMMARY", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")},
            "KATA_LANG": "en"}


def git(root, *arguments, date=None):
    env = {**os.environ, **GIT_ENV, **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})}
    return subprocess.run(["git", *arguments], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def write_katas(root, kind):
    """katas/ as "solved", "stubs" or "mistake" (chapter 05 divides by the unbiased variance)."""
    katas = root / "katas"
    shutil.rmtree(katas, ignore_errors=True)
    katas.mkdir(parents=True)
    for path in (REPO_ROOT / ("katas" if kind == "stubs" else "reference")).glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if kind == "mistake" and path.name.startswith("chapter05_"):
            assert MISTAKE[0] in text
            text = text.replace(*MISTAKE)
        (katas / path.name).write_text(text, encoding="utf-8")


def commit(root, message, date=None):
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")


def make_class(folder, instructor_root):
    """The class's repositories under ``folder``, its roster, and {student: commit expected}."""
    folder.mkdir(parents=True)
    alice = folder / "alice"
    alice.mkdir()
    git(alice, "init", "-q")
    write_katas(alice, "stubs")
    stubs_commit = commit(alice, "stubs")
    write_katas(alice, "solved")
    solved_commit = commit(alice, "solved")

    carol = folder / "carol"
    carol.mkdir()
    git(carol, "init", "-q")
    write_katas(carol, "mistake")
    mistake_commit = commit(carol, "a mistake", date="2026-01-10T12:00:00+00:00")
    write_katas(carol, "solved")
    commit(carol, "solved after the deadline", date="2026-03-01T12:00:00+00:00")

    # Hostile: chapter 05 writes into a classmate's clone and the instructor's reference, then loops forever,
    # ignoring signals; chapter 00 is a link to the instructor's reference; a planted 100-point grade.json.
    frank = folder / "frank"
    frank.mkdir()
    git(frank, "init", "-q")
    write_katas(frank, "solved")
    targets = [str(alice / "katas" / f"{MODULES['05']}.py"), str(instructor_root / "reference" / f"{MODULES['05']}.py")]
    with open(frank / "katas" / f"{MODULES['05']}.py", "a", encoding="utf-8") as file:
        file.write(HOSTILE.format(targets=targets))
    (frank / "katas" / f"{MODULES['00']}.py").unlink()
    (frank / "katas" / f"{MODULES['00']}.py").symlink_to(instructor_root / "reference" / f"{MODULES['00']}.py")
    (frank / "grade.json").write_text(json.dumps({"status": "graded", "points": 100, "max_points": 100}))
    hostile_commit = commit(frank, "hostile")

    # Over the 3 MB bound of the proofs: a 4 MB file that does not compress.
    gina = folder / "gina"
    gina.mkdir()
    git(gina, "init", "-q")
    write_katas(gina, "solved")
    (gina / "weights.bin").write_bytes(os.urandom(4 * 1024 * 1024))
    commit(gina, "huge")

    (folder / "erin").mkdir()
    write_katas(folder / "erin", "solved")  # a folder with katas/, but no clone

    roster = folder / "roster.csv"
    roster.write_text(textwrap.dedent(f"""\
        student,repo,commit,deadline
        alice,alice,,
        bob,alice,{stubs_commit},
        carol,{carol},,2026-02-01
        dave,no/such/clone,,
        erin,erin,,
        =frank/../x,frank,,
        gina,gina,,
    """), encoding="utf-8")
    commits = {"alice": solved_commit, "bob": stubs_commit, "carol": mistake_commit, "=frank/../x": hostile_commit}
    return roster, commits


def checkout_at(repository, sha, target):
    """A plain clone of ``repository`` with ``sha`` checked out: what `make grade FORK=` grades alone."""
    subprocess.run(["git", "clone", "-q", str(repository), str(target)], check=True, capture_output=True)
    git(target, "checkout", "-q", sha)
    return target


def run_class(instructor_root, roster, out, *extra):
    command = [sys.executable, "-m", "kata_tools.grading", "class", "--roster", str(roster), "--out", str(out),
               "--no-progress", *CLASS_ARGS, *extra]
    return subprocess.run(command, cwd=instructor_root, env=environment(), capture_output=True, text=True,
                          timeout=900)


def read_gradebook(out):
    with open(Path(out) / classroom.GRADEBOOK, encoding="utf-8", newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def explain(completed):
    return f"exit {completed.returncode}\n{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"


@pytest.fixture(scope="module")
def graded(instructor, tmp_path_factory):  # noqa: F811 - the fixture imported above
    """The class graded once by make grade-class, its forks graded alone, and the class in two shards."""
    folder = tmp_path_factory.mktemp("class")
    roster, commits = make_class(folder / "class", instructor)
    before = {name: tree_digest(folder / "class" / name) for name in ("alice", "carol")}
    reference_before = tree_digest(instructor / "reference")
    # The two shards and the forks alone run side by side, two at a time, while the whole class runs.
    out = folder / "out"
    whole = subprocess.Popen(
        ["make", "--no-print-directory", "grade-class", f"ROSTER={roster}", f"OUT={out}", "STAMP=",
         f"PY={sys.executable}", f"CLASS_ARGS={' '.join(CLASS_ARGS)} --no-progress", "JOBS=2"],
        cwd=instructor, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    singles = {}
    sources = {"alice": folder / "class" / "alice", "bob": folder / "class" / "alice",
               "carol": folder / "class" / "carol", "=frank/../x": folder / "class" / "frank"}
    processes = []
    for index, (student, sha) in enumerate(commits.items()):
        fork = checkout_at(sources[student], sha, folder / "single" / f"fork{index}")
        output = folder / "single" / f"out{index}"
        processes.append((student, output, subprocess.Popen(
            [sys.executable, "-m", "kata_tools.grading", "--fork", str(fork), "--output-dir", str(output),
             "--chapters", CHAPTERS, "--chapter-seconds", "10"], cwd=instructor, env=environment(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
        if index % 2 == 1:
            for _, _, process in processes[-2:]:
                process.wait(timeout=900)
    for student, output, process in processes:
        process.wait(timeout=900)
        singles[student] = json.loads((output / reports.GRADE_JSON).read_text(encoding="utf-8"))
    stdout, stderr = whole.communicate(timeout=900)
    whole_run = subprocess.CompletedProcess(whole.args, whole.returncode, stdout, stderr)
    shards = [folder / f"shard{k}" for k in (1, 2)]
    shard_runs = [subprocess.Popen([sys.executable, "-m", "kata_tools.grading", "class", "--roster", str(roster),
                                    "--out", str(shard), "--shard", f"{k}/2", "--jobs", "1", "--no-progress",
                                    *CLASS_ARGS], cwd=instructor, env=environment(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
                  for k, shard in zip((1, 2), shards, strict=True)]
    shard_outputs = [run.communicate(timeout=900) for run in shard_runs]
    merged = folder / "merged"
    merge_run = subprocess.run([sys.executable, "-m", "kata_tools.grading", "merge", "--out", str(merged),
                                *map(str, shards)], cwd=instructor, env=environment(), capture_output=True,
                               text=True, timeout=300)
    return {"folder": folder, "roster": roster, "out": out, "run": whole_run, "singles": singles,
            "commits": commits, "before": before, "reference_before": reference_before, "merged": merged,
            "merge_run": merge_run, "shards": shards, "shard_outputs": shard_outputs, "instructor": instructor}


# ---------------------------------------------------------------- the class against its forks alone


def test_make_grade_class_writes_one_row_per_roster_line_with_each_status(graded):
    assert graded["run"].returncode == 0, explain(graded["run"])
    rows = read_gradebook(graded["out"])
    assert list(rows) == ["alice", "bob", "carol", "dave", "erin", "'=frank/../x", "gina"], rows
    statuses = {student: row["status"] for student, row in rows.items()}
    assert statuses == {"alice": "graded", "bob": "graded", "carol": "graded", "dave": "no-repository",
                        "erin": "not-a-clone", "'=frank/../x": "graded", "gina": "refused"}, rows
    assert "MB" in rows["gina"]["reason"] and "no such folder" in rows["dave"]["reason"]
    header = next(csv.reader(open(graded["out"] / classroom.GRADEBOOK, encoding="utf-8")))
    assert header == ["student", "status", "reason", "points", "max_points", "percent", "commit",
                      "chapter_00", "chapter_05"]
    assert (graded["out"] / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "students" in graded["run"].stdout and "05 LayerNorm" in graded["run"].stdout


def test_every_graded_fork_gets_the_grade_it_gets_alone_check_by_check(graded):
    rows = read_gradebook(graded["out"])
    folders = {"alice": "alice", "bob": "bob", "carol": "carol", "=frank/../x": "frank_x"}
    for student, single in graded["singles"].items():
        row = rows[classroom._cell(student)]
        assert single["status"] == "graded", (student, single["problems"])
        assert row["commit"] == graded["commits"][student] == single["commit"], student
        assert float(row["points"]) == single["points"], (student, row, single["points"])
        for label, chapter in single["chapters"].items():
            assert float(row[f"chapter_{label}"]) == chapter["points"], (student, label)
        in_class = json.loads((graded["out"] / "students" / folders[student] / reports.GRADE_JSON).read_text())
        for label, chapter in single["chapters"].items():
            outcomes = [(test["id"], test["outcome"]) for test in chapter["tests"]]
            assert outcomes == [(test["id"], test["outcome"]) for test in in_class["chapters"][label]["tests"]], (
                student, label)
    points = {student: float(rows[classroom._cell(student)]["points"]) for student in graded["singles"]}
    assert points["alice"] == 12 and points["bob"] == 0, points
    assert 4 <= points["carol"] < 12, "the LayerNorm mistake keeps chapter 00 and loses points in chapter 05"
    assert points["=frank/../x"] == 0, "the hostile fork's chapter 05 loops and its chapter 00 is a link"


def test_the_hostile_fork_changes_nothing_of_its_classmates_or_the_instructor(graded):
    for name, digest in graded["before"].items():
        assert tree_digest(graded["folder"] / "class" / name) == digest, f"{name}'s clone changed"
    assert tree_digest(graded["instructor"] / "reference") == graded["reference_before"]
    frank = json.loads((graded["out"] / "students" / "frank_x" / reports.GRADE_JSON).read_text())
    assert frank["points"] == 0 and frank["student"] == "=frank/../x"
    assert not (graded["out"] / ".work").exists(), "the fetched clones are removed"


def test_each_student_has_their_reports_in_a_safe_folder_of_their_own(graded):
    students = graded["out"] / "students"
    assert sorted(path.name for path in students.iterdir()) == ["alice", "bob", "carol", "dave", "erin",
                                                               "frank_x", "gina"]
    for name in ("alice", "bob", "carol", "frank_x"):
        assert {path.name for path in (students / name).iterdir()} == {
            reports.GRADE_JSON, reports.JUNIT_XML, reports.SUMMARY_MD, classroom.RESULT}
    assert {path.name for path in (students / "dave").iterdir()} == {classroom.RESULT}


def test_sharded_then_merged_is_the_one_run(graded):
    assert graded["merge_run"].returncode == 0, explain(graded["merge_run"])
    for stdout, stderr in graded["shard_outputs"]:
        assert "wrote" in stdout, stderr[-3000:]
    one = (graded["out"] / classroom.GRADEBOOK).read_text(encoding="utf-8")
    assert (graded["merged"] / classroom.GRADEBOOK).read_text(encoding="utf-8") == one
    shard_rows = [read_gradebook(shard) for shard in graded["shards"]]
    assert sorted(len(rows) for rows in shard_rows) == [3, 4], "7 roster lines: indices 0,2,4,6 and 1,3,5"
    assert not set(shard_rows[0]) & set(shard_rows[1])


def test_a_rerun_regrades_only_a_changed_commit_or_a_lost_result_whatever_lines_are_added(graded, tmp_path):
    folder = tmp_path / "again"
    shutil.copytree(graded["folder"] / "class", folder / "class", symlinks=True)
    shutil.copytree(graded["out"], folder / "out")
    (folder / "class" / "alice" / "katas" / "notes.txt").write_text("a new commit, the same katas\n")
    commit(folder / "class" / "alice", "notes")
    (folder / "out" / "students" / "carol" / classroom.RESULT).unlink()  # as if the run stopped before carol
    roster = folder / "class" / "roster.csv"
    lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
    roster.write_text(lines[0] + "zoe,no/clone/yet,,\n" + "".join(lines[1:]), encoding="utf-8")  # a line above
    def results():  # a result written again is a new file (written atomically), even with the same content
        return {path.parent.name: (path.stat().st_ino, path.read_bytes())
                for path in (folder / "out" / "students").glob("*/result.json")}
    before = results()
    completed = run_class(graded["instructor"], folder / "class" / "roster.csv", folder / "out", "--jobs", "2")
    assert completed.returncode == 0, explain(completed)
    after = results()
    assert set(after) == set(before) | {"carol", "zoe"}
    kept = {name for name, result in before.items() if after.get(name) == result}
    # Graded results at an unchanged commit are kept as they were; the other statuses are checked again.
    assert kept == {"bob", "frank_x"}, kept
    rows = read_gradebook(folder / "out")
    assert list(rows)[:2] == ["zoe", "alice"] and rows["zoe"]["status"] == "no-repository"
    assert rows["alice"]["commit"] != graded["commits"]["alice"] and rows["alice"]["points"] == "12"
    assert read_gradebook(graded["out"])["carol"]["points"] == rows["carol"]["points"]


def test_ctrl_c_stops_at_once_keeps_every_result_and_rebuilds_the_gradebook(graded, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(graded["out"], out)
    process = subprocess.Popen(
        [sys.executable, "-m", "kata_tools.grading", "class", "--roster", str(graded["roster"]), "--out", str(out),
         "--no-progress", "--jobs", "2", *CLASS_ARGS], cwd=graded["instructor"], env=environment(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert "at once" in process.stdout.readline()  # the class has started
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr[-3000:]
    assert "run the same command again" in stderr
    assert (out / classroom.GRADEBOOK).read_bytes() == (graded["out"] / classroom.GRADEBOOK).read_bytes()
    assert not (out / classroom.WORK).exists()


def test_a_result_of_another_judge_or_repository_is_not_reused():
    settings = classroom.Settings(Path("."), Path("."), ["00"], 4, "judge-a", {"00": 4})
    entry = classroom.Entry(0, 2, "alice", "alice")
    result = {"status": "graded", "commit": "a" * 40, "repo": "alice", "judge": "judge-a"}
    assert classroom.reusable(result, entry, "a" * 40, settings)
    assert not classroom.reusable({**result, "judge": "judge-b"}, entry, "a" * 40, settings)
    assert not classroom.reusable(result, entry, "b" * 40, settings)
    assert not classroom.reusable({**result, "repo": "elsewhere"}, entry, "a" * 40, settings)
    assert not classroom.reusable({**result, "status": "error"}, entry, "a" * 40, settings)


# ---------------------------------------------------------------- the roster, shards, merge


@pytest.mark.parametrize("text, expected", [
    ("name,repo\nalice,a\n", "line 1, column 1"),
    ("student\nalice\n", "column repo"),
    ("student,repo\nalice,a\nalice,b\n", "line 3, column student"),
    ("student,repo\n,a\n", "line 2, column student"),
    ("student,repo,commit\nalice,a,abc123\n", "line 2, column commit"),
    ("student,repo,commit,deadline\nalice,a," + "a" * 40 + ",2026-01-01\n", "line 2, column deadline"),
    ("student,repo,deadline\nalice,a,next friday\n", "line 2, column deadline"),
    ("student,repo\nalice,a,extra\n", "line 2, column 3"),
    ("student,repo\n\n", "the roster lists no student"),
    ("", "header"),
    ("student,repo\nalice," + "x" * 200_000 + "\n", "field larger than field limit"),
])
def test_a_bad_roster_is_refused_naming_the_line_and_column(tmp_path, text, expected, monkeypatch):
    monkeypatch.setenv("KATA_LANG", "en")
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(classroom.RosterError) as raised:
        classroom.read_roster(roster)
    assert any(expected in problem for problem in raised.value.problems), raised.value.problems


def test_the_roster_cli_exits_2_with_the_problem_and_no_output(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,repo,comit\nalice,a,b\n", encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "kata_tools.grading", "class", "--roster", str(roster),
                                "--out", str(tmp_path / "out")], cwd=REPO_ROOT, capture_output=True, text=True,
                               env={**environment(), "KATA_LANG": "en"}, timeout=120)
    assert completed.returncode == 2 and "line 1, column 3" in completed.stderr and "'comit'" in completed.stderr
    assert not (tmp_path / "out").exists()


def test_a_roster_reads_deadlines_commits_and_a_spreadsheets_bom(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffStudent,Repo,Deadline\n\"Li, Lei\",x,2026-02-01\nbob,y,2026-02-01T10:00+09:00\n",
                      encoding="utf-8")
    entries = classroom.read_roster(roster)
    assert [entry.student for entry in entries] == ["Li, Lei", "bob"]
    assert entries[0].deadline == "2026-02-01T23:59:59+00:00"
    assert entries[1].deadline == "2026-02-01T10:00:00+09:00"
    assert [entry.line for entry in entries] == [2, 3]


def test_student_names_become_safe_unique_folders():
    names = ["../../etc/passwd", "Bob", "bob", "", ".hidden", "李雷", "a/b", "a_b", "x" * 300, "con\x00trol\n"]
    folders = classroom.safe_folders(names)
    assert len({folder.lower() for folder in folders}) == len(names)
    for folder in folders:
        assert folder and not folder.startswith(".") and "/" not in folder and len(folder) <= 64, folder
        assert all(character.isalnum() or character in "._-" for character in folder), folder
    assert folders[:3] == ["etc_passwd", "Bob", "bob-2"] and folders[5] == "李雷"


def test_a_gradebook_cell_is_never_a_formula_nor_a_control_character():
    assert classroom._cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert classroom._cell("+1") == "'+1" and classroom._cell("@x") == "'@x" and classroom._cell("-1") == "'-1"
    assert classroom._cell("a\x1b[2Jb\nc") == "a [2Jb c"
    assert classroom._cell(12.5) == "12.50" and classroom._cell(None) == ""


def test_shards_split_the_roster_once_each_in_roster_order():
    entries = [classroom.Entry(index, index + 2, f"s{index}", "r") for index in range(11)]
    for count in range(1, 6):
        owners = [[k for k in range(1, count + 1) if classroom.in_shard(entry, (k, count))] for entry in entries]
        assert all(len(owner) == 1 for owner in owners)
        assert [owner[0] for owner in owners] == [index % count + 1 for index in range(11)]
    for bad in ("0/2", "3/2", "2", "a/b", ""):
        with pytest.raises(ValueError):
            classroom.parse_shard(bad)


def test_a_merge_refuses_missing_repeated_or_foreign_shards(tmp_path):
    def shard(name, k, n, roster="r1"):
        folder = tmp_path / name
        folder.mkdir()
        record = {"roster_sha256": roster, "shard": [k, n], "judge": "j", "chapters": ["00"], "entries": []}
        (folder / classroom.CLASS_JSON).write_text(json.dumps(record))
        return folder
    one, two, again, other = shard("a", 1, 3), shard("b", 2, 3), shard("c", 2, 3), shard("d", 3, 3, "r2")
    with pytest.raises(classroom.ClassError, match="missing 3/3"):
        classroom.merge(tmp_path / "out", [one, two])
    with pytest.raises(classroom.ClassError, match="repeated 2/3"):
        classroom.merge(tmp_path / "out", [one, two, again])
    with pytest.raises(classroom.ClassError, match="another roster"):
        classroom.merge(tmp_path / "out", [one, two, other])
    with pytest.raises(classroom.ClassError, match="not a class run"):
        classroom.merge(tmp_path / "out", [one, tmp_path])


# ---------------------------------------------------------------- GitHub Classroom


def test_grade_json_becomes_the_classroom_reporters_input_with_the_same_points(graded):
    grade_json = graded["out"] / "students" / "carol" / reports.GRADE_JSON
    grade = json.loads(grade_json.read_text())
    completed = subprocess.run([sys.executable, "-m", "kata_tools.grading", "classroom", str(grade_json)],
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(base64.b64decode(completed.stdout.strip()))
    # The reporter's dashboard total: the sum of the tests' scores, out of max_score.
    assert sum(test["score"] for test in result["tests"]) == pytest.approx(grade["points"])
    assert result["max_score"] == grade["max_points"] and result["status"] == "fail"
    assert [test["status"] for test in result["tests"]] == [
        "pass" if chapter["passed"] == chapter["total"] else "fail" for chapter in grade["chapters"].values()]
    assert {"name", "status", "score", "message", "line_no"} <= set(result["tests"][0])


def test_a_missing_or_ungraded_grade_json_reports_an_error_worth_nothing(tmp_path):
    missing = autograding.runner_result(autograding.read_grade(tmp_path / "nothing.json"))
    assert missing["status"] == "error" and sum(test["score"] for test in missing["tests"]) == 0
    refused = autograding.runner_result({"status": "refused", "problems": ["x\x1b[31m"], "max_points": 100})
    assert refused["status"] == "error" and refused["max_score"] == 100 and "\x1b" not in json.dumps(refused)
    full = {"status": "graded", "points": 4, "max_points": 4,
            "chapters": {"00": {"title": "Warm-up", "points": 4, "max_points": 4, "passed": 8, "total": 8}}}
    assert autograding.runner_result(full)["status"] == "pass"


def test_the_class_workflow_runs_shards_and_merges_them():
    text = (REPO_ROOT / ".github" / "workflows" / "grade-class.yml").read_text(encoding="utf-8")
    for needed in ("matrix:", "--shard", "actions/upload-artifact@", "actions/download-artifact@",
                   "kata_tools.grading merge", "persist-credentials: false", "gradebook.csv"):
        assert needed in text, needed


def test_the_judge_computes_the_reference_once_for_every_fork(monkeypatch):
    from kata_tools.grading import judge

    calls = []
    monkeypatch.setattr(judge, "prepare", lambda labels: calls.append(labels) or "prepared")
    settings = classroom.Settings(Path("."), Path("."), ["00"], 4, "key", {"00": 4})
    assert [settings.prepared() for _ in range(3)] == ["prepared"] * 3 and calls == [["00"]]
