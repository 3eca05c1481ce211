"""Attacks on the trusted side of grading that need no sandbox: what a fork or a careless instructor can do.

Each proof builds its throwaway fork, shard or output folder in ``tmp_path``
and runs only the judge's own code (no kata, no bubblewrap), so the file
costs a second or two: a fork of thousands of unsafe file names, a fork whose
``.git`` holds a FIFO or a link to a device, a merge into one of its own
shards or into a folder holding an earlier run's results, and a gradebook
rebuilt beside results of another judge or repository.
"""

import csv
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import asdict

import pytest

from kata_tools.chapters import REPO_ROOT
from kata_tools.grading import classroom, sandbox

# ---------------------------------------------------------------- a fork's files


def test_thousands_of_unsafe_kata_names_make_a_bounded_list_of_problems(tmp_path):
    source = tmp_path / "fork" / "katas"
    source.mkdir(parents=True)
    (source / "chapter00_warmup.py").write_text("X = 1\n")
    for number in range(2000):
        (source / f"left-out-{number:04d}.py").write_text("")
    copied, problems = sandbox.copy_katas(source, tmp_path / "copy")
    assert copied == ["chapter00_warmup.py"]
    assert len(problems) == sandbox.MAX_KATA_PROBLEMS + 1, len(problems)
    assert "katas/left-out-0000.py was left out" in problems[0]
    assert problems[-1].startswith(f"{2000 - sandbox.MAX_KATA_PROBLEMS} more files or folders")


def test_a_fifo_or_a_device_in_a_forks_git_folder_never_blocks_the_judge(tmp_path):
    """The commit is read from .git's files; a FIFO would block the read for ever, /dev/zero fill memory."""
    forks = []
    for name, plant in (("head-fifo", lambda git: os.mkfifo(git / "HEAD")),
                        ("head-device", lambda git: (git / "HEAD").symlink_to("/dev/zero")),
                        ("ref-fifo", lambda git: ((git / "HEAD").write_text("ref: refs/heads/main\n"),
                                                  (git / "refs" / "heads").mkdir(parents=True),
                                                  os.mkfifo(git / "refs" / "heads" / "main"))),
                        ("packed-fifo", lambda git: ((git / "HEAD").write_text("ref: refs/heads/main\n"),
                                                     os.mkfifo(git / "packed-refs"))),
                        ("commondir-device", lambda git: ((git / "HEAD").write_text("ref: refs/heads/main\n"),
                                                          (git / "commondir").symlink_to("/dev/zero")))):
        git = tmp_path / name / ".git"
        git.mkdir(parents=True)
        plant(git)
        forks.append(str(tmp_path / name))
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from kata_tools.grading import grade
        print([grade.commit_of(fork) for fork in {forks!r}])
    """)
    completed = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == repr([None] * len(forks))


# ---------------------------------------------------------------- merging shards, rebuilding the gradebook


ENTRIES = [classroom.Entry(index, index + 2, name, f"forks/{name}", folder=name)
           for index, name in enumerate(("alice", "bob", "carol"))]


def result(entry, points, judge="judge-a", commit="a" * 40, repo=None):
    return {"student": entry.student, "index": entry.index, "line": entry.line, "repo": repo or entry.repo,
            "commit_asked": "", "deadline": "", "folder": entry.folder, "status": "graded", "reason": "",
            "commit": commit, "judge": judge, "points": points, "max_points": 4, "percent": 25.0 * points,
            "chapters": {"00": {"points": points, "max_points": 4, "passed": points, "total": 4}}, "seconds": 1.0}


def write_result(out, entry, value):
    folder = out / classroom.STUDENTS / entry.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / classroom.RESULT).write_text(json.dumps(value), encoding="utf-8")


def shard(folder, k, n, points):
    """A shard's OUT folder, as a class run writes it, with a result for each of its students in ``points``."""
    folder.mkdir(parents=True)
    record = {"roster_sha256": "r", "shard": [k, n], "judge": "judge-a", "chapters": ["00"],
              "entries": [asdict(entry) for entry in ENTRIES]}
    (folder / classroom.CLASS_JSON).write_text(json.dumps(record), encoding="utf-8")
    for entry in ENTRIES:
        if classroom.in_shard(entry, (k, n)) and entry.student in points:
            write_result(folder, entry, result(entry, points[entry.student]))
    return folder


def gradebook(out):
    with open(out / classroom.GRADEBOOK, encoding="utf-8", newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def test_a_merge_into_one_of_its_own_shards_is_the_merge_into_a_new_folder(tmp_path):
    points = {"alice": 1, "bob": 2, "carol": 3}
    shards = [shard(tmp_path / "a", 1, 2, points), shard(tmp_path / "b", 2, 2, points)]
    fresh = classroom.merge(tmp_path / "out", shards)
    into = shard(tmp_path / "c", 1, 2, points)
    assert classroom.merge(into, [into, shard(tmp_path / "d", 2, 2, points)]) == fresh


def test_a_merge_keeps_no_result_of_an_earlier_run_that_the_shards_do_not_have(tmp_path):
    """Bob's shard stopped before him: the merged gradebook says so, as the shard's own gradebook does."""
    out = tmp_path / "out"
    for entry in ENTRIES:
        write_result(out, entry, result(entry, 4, commit="b" * 40))  # last week's merge
    points = {"alice": 1, "carol": 3}
    rows = classroom.merge(out, [shard(tmp_path / "a", 1, 2, points), shard(tmp_path / "b", 2, 2, points)])
    assert [row["points"] for row in rows] == [1, None, 3]
    assert gradebook(out)["bob"]["reason"] == classroom.NOT_GRADED_YET
    assert not (out / classroom.STUDENTS / "bob").exists()


def test_a_gradebook_shows_no_result_of_another_judge_or_repository(tmp_path):
    """A run stopped by Ctrl-C after the judge or a repository changed: the results not yet redone are stale."""
    out = tmp_path / "out"
    alice, bob, carol = ENTRIES
    write_result(out, alice, result(alice, 1))
    write_result(out, bob, result(bob, 2, judge="judge-old"))
    write_result(out, carol, result(carol, 3, repo="forks/someone-else"))
    rows = classroom.gradebook_rows(out, ENTRIES, ["00"], {"00": 4}, key="judge-a")
    assert [row["points"] for row in rows] == [1, None, None]
    assert [row["reason"] for row in rows[1:]] == [classroom.NOT_GRADED_YET] * 2


# ---------------------------------------------------------------- forks graded at once


def test_sandboxes_running_at_once_never_share_a_user_id(monkeypatch):
    """As root each sandbox runs as a drawn user id; two at once with one id would share a process limit."""
    draws = iter([3_000_001, 3_000_001, 3_000_002, 3_000_001])
    monkeypatch.setattr(sandbox.random, "randint", lambda low, high: next(draws))
    first, second = sandbox.sandbox_uid(), sandbox.sandbox_uid()
    assert first != second, "a classmate's sandbox, still running, got the same user id"
    sandbox.release_uid(first)
    assert sandbox.sandbox_uid() == first  # once gone, its id may be drawn again
    sandbox.release_uid(first)
    sandbox.release_uid(second)


# ---------------------------------------------------------------- fetching


def test_a_token_in_a_roster_url_is_written_nowhere_and_an_unreachable_host_is_no_missing_repository(tmp_path):
    """A careless roster: a token in a URL; and hosts that cannot be reached (.invalid never resolves)."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,repo\neve,https://x-access-token:SECRET@example.invalid/katas.git\n"
                      "sam,ssh://git@example.invalid/katas.git\n", encoding="utf-8")
    entries = classroom.read_roster(roster)
    out = tmp_path / "out"
    settings = classroom.Settings(tmp_path, out, ["00"], 10, "judge-a", {"00": 4}, fetch_seconds=60)
    results = [classroom.grade_student(entry, settings)[0] for entry in entries]
    # The host was not reached: the machine's problem, never the student's "no repository".
    assert [result["status"] for result in results] == ["error", "error"], results
    assert results[0]["repo"] == "https://example.invalid/katas.git"
    classroom._write_json(out / classroom.CLASS_JSON, classroom._class_record(roster, entries, None, "judge-a", ["00"]))
    rows = classroom.finish(out, entries, ["00"], {"00": 4}, "judge-a", quiet=True)
    assert [row["status"] for row in rows] == ["error", "error"], "the results of this run are the gradebook's"
    written = [path for path in out.rglob("*") if path.is_file() and b"SECRET" in path.read_bytes()]
    assert not written, written


# ---------------------------------------------------------------- GitHub Classroom's reporter


def test_the_classroom_reporters_input_is_strict_json_whatever_grade_json_holds(tmp_path, capsys):
    from kata_tools.grading import autograding

    def refuse(constant):
        raise ValueError(f"{constant} is no JSON the reporter reads")
    chapter = '{"title": "x", "points": %s, "max_points": %s, "passed": 1, "total": 1}'
    for name, text in (("deep", "[" * 100_000 + "]" * 100_000),
                       ("not-finite", '{"status": "graded", "chapters": {"00": %s, "01": %s}}'
                        % (chapter % ("NaN", "Infinity"), chapter % ("1e400", "1" + "0" * 400)))):
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        assert autograding.main([str(path), "--json"]) == 0
        result = json.loads(capsys.readouterr().out, parse_constant=refuse)
        assert all(test["score"] == 0 for test in result["tests"]), result


def git_bomb(root, levels, width=10):
    """A repository of a few objects whose katas/ checks out as ``width ** levels`` files (folders of folders)."""
    environment = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@example.org",
                   "GIT_COMMITTER_NAME": "s", "GIT_COMMITTER_EMAIL": "s@example.org"}

    def git(*arguments, stdin=""):
        return subprocess.run(["git", *arguments], cwd=root, input=stdin, capture_output=True, text=True,
                              env=environment, check=True).stdout.strip()
    root.mkdir()
    git("init", "-q")
    blob = git("hash-object", "-w", "--stdin", stdin="X = 1\n")
    tree = git("mktree", stdin=f"100644 blob {blob}\tx.py\n")
    for _ in range(levels):
        tree = git("mktree", stdin="".join(f"040000 tree {tree}\td{number}\n" for number in range(width)))
    top = git("mktree", stdin=f"040000 tree {tree}\tkatas\n")
    git("update-ref", "HEAD", git("commit-tree", top, "-m", "a few objects, many files"))
    return root


def test_a_git_bomb_is_refused_before_its_files_are_checked_out(tmp_path, monkeypatch):
    """Tiny to fetch, billions of files to check out: the listing is counted (and bounded) first."""
    bomb = git_bomb(tmp_path / "bomb", levels=3)  # 1,000 files in 1,110 folders
    monkeypatch.setattr(classroom, "CHECKOUT_ENTRIES", 500)
    entry = classroom.Entry(0, 2, "eve", str(bomb), folder="eve")
    fetched = classroom.fetch(entry, tmp_path, tmp_path / "work", seconds=60)
    assert fetched.status == "refused" and "over 500 files and folders" in fetched.reason, fetched
    assert not (tmp_path / "work" / "katas").exists()
    monkeypatch.setattr(classroom, "GIT_OUTPUT_BYTES", 4096)  # the listing itself is bounded
    fetched = classroom.fetch(entry, tmp_path, tmp_path / "again", seconds=60)
    assert fetched.status == "refused" and "wrote over 4 KB" in fetched.reason, fetched
    honest = git_bomb(tmp_path / "honest", levels=1)  # ten helper folders: checked out
    fetched = classroom.fetch(classroom.Entry(1, 3, "ann", str(honest), folder="ann"), tmp_path, tmp_path / "ann")
    assert fetched.status == "fetched" and (tmp_path / "ann" / "katas" / "d9" / "x.py").is_file(), fetched


def test_a_merge_refuses_a_record_that_is_no_class_and_writes_only_into_students_folders(tmp_path):
    points = {"alice": 1, "bob": 2, "carol": 3}
    one, two = shard(tmp_path / "a", 1, 2, points), shard(tmp_path / "b", 2, 2, points)
    for text in ("[]", '{"shard": [1, 2]}', '{"entries": ["alice"]}'):
        (tmp_path / "odd").mkdir(exist_ok=True)
        (tmp_path / "odd" / classroom.CLASS_JSON).write_text(text, encoding="utf-8")
        with pytest.raises(classroom.ClassError, match="not a class run"):
            classroom.merge(tmp_path / "out", [tmp_path / "odd", two])
    record = json.loads((one / classroom.CLASS_JSON).read_text(encoding="utf-8"))
    record["entries"][0]["folder"] = "../../outside"  # an edited record: the folder is the name's, made safe
    for folder in (one, two):
        (folder / classroom.CLASS_JSON).write_text(json.dumps({**record, "shard": json.loads(
            (folder / classroom.CLASS_JSON).read_text(encoding="utf-8"))["shard"]}), encoding="utf-8")
    rows = classroom.merge(tmp_path / "out", [one, two])
    assert [row["points"] for row in rows] == [1, 2, 3]
    assert not (tmp_path / "outside").exists()
