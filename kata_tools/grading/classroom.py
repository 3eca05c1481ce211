"""A class: every fork of a roster graded by one judge, into one gradebook.

    python -m kata_tools.grading class --roster FILE --out DIR [--jobs N] [--shard K/N]
    python -m kata_tools.grading merge --out DIR SHARD_DIR...

The roster is a CSV file with a ``student,repo`` header: ``repo`` is a git
URL (https, ssh, git, file) or the path of a local clone (relative to the
roster's folder), and an optional ``commit`` (40 hexadecimal digits) or
``deadline`` (ISO 8601; the last commit at or before it, by committer date)
column says what to grade; without either, the default branch's last commit.

For each student, in its own thread (``--jobs`` at once):

1. Fetch the one commit into ``OUT/.work/<student>`` with git: a fresh
   repository with no hooks or templates, no submodules, no LFS, only the
   protocols named in ``GIT_CONFIG``, shallow (the whole history, without file
   contents, for a deadline), no prompt for a password, stopped past
   ``FETCH_SECONDS`` or ``FETCH_BYTES``. Only ``katas/`` is checked out.
2. Grade it as ``make grade FORK=`` would (grade.py, ``grade_one`` below),
   in a sandbox of its own, with the reference's outputs computed once for
   the whole class (``judge.prepare``).
3. Write its three reports, then its ``result.json`` (atomically, last),
   into ``OUT/students/<folder>/`` (``folder``: the student's name made safe).

The gradebook (``OUT/gradebook.csv``, one row per roster line, in roster
order) is rebuilt from the ``result.json`` files at the end, and on Ctrl-C:
a crash loses at most the forks being graded. A rerun reuses a result whose
repository, commit and judge (the grading manifest, the chapters and their
time) are unchanged, and grades the others.

``--shard K/N`` grades the roster lines whose index (0-based, in roster
order) is K-1 modulo N; ``merge`` puts the shards' folders together and
rebuilds one gradebook, equal to the one a single run writes.

Statuses: graded; no-repository (the path or URL has no repository);
not-a-clone (a local folder that is no git clone); refused (the fork is over
the size bound, or the judge's files differ from the manifest); error (the
fetch failed or timed out, the commit has no katas/, the judge failed).
"""

import argparse
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..chapters import CHAPTERS, REPO_ROOT
from ..i18n import t
from . import grade as grading
from . import judge, manifest, reports, sandbox

COLUMNS = ("student", "repo", "commit", "deadline")
STATUSES = ("graded", "no-repository", "not-a-clone", "refused", "error")
GRADEBOOK = "gradebook.csv"
STUDENTS = "students"
RESULT = "result.json"
CLASS_JSON = "class.json"
WORK = ".work"
FETCH_SECONDS = 300
FETCH_BYTES = 200 * 1024 * 1024
CHECKOUT_ENTRIES = 5000  # files and folders under katas/: a fork has a few dozen (a "git bomb" has billions)
GIT_OUTPUT_BYTES = 1024 * 1024  # what is kept of one git command's output or messages
JOB_MEMORY_BYTES = 1536 * 1024 * 1024  # a graded fork's judge thread and sandbox, with room to spare
MAX_REASON = 300
NOT_GRADED_YET = "not graded: the run stopped before this student; run it again to finish"

# Every fetch runs with these: no hooks, no fsmonitor, no submodules, no LFS downloads, known protocols only.
GIT_CONFIG = (
    "core.hooksPath=/dev/null", "core.fsmonitor=false", "core.symlinks=true", "submodule.recurse=false",
    "fetch.recurseSubmodules=false", "filter.lfs.process=", "filter.lfs.smudge=", "filter.lfs.required=false",
    "protocol.allow=never", "protocol.https.allow=always", "protocol.ssh.allow=always",
    "protocol.git.allow=always", "protocol.file.allow=always", "advice.detachedHead=false",
)
URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|[\w.-]+@[\w.-]+:)")
COMMIT = re.compile(r"[0-9a-f]{40}")


class RosterError(Exception):
    """The roster cannot be used; ``problems`` are lines "FILE, line N, column C: what is wrong"."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class ClassError(Exception):
    """A class run or a merge cannot go on; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    """One roster line. ``index``: its position among the data lines (0-based); ``line``: in the file (1-based)."""
    index: int
    line: int
    student: str
    repo: str
    commit: str = ""
    deadline: str = ""
    folder: str = ""


# ---------------------------------------------------------------- the roster


def read_roster(path):
    """The entries of the roster CSV at ``path``, each with a unique safe ``folder``; raises RosterError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError([t("class.roster_unreadable", file=path, error=error)]) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:  # a field over csv's limit (128 KiB), a stray quote at the end
        raise RosterError([t("class.roster_unreadable", file=path, error=error)]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError([t("class.roster_no_header", file=path)])
    header = [cell.strip().lower() for cell in rows[0]]
    problems = []

    def problem(line, column, key, **values):
        problems.append(t("class.roster_problem", file=path.name, line=line, column=column,
                          problem=t(key, **values)))
    for column, name in enumerate(header, 1):
        if name not in COLUMNS:
            problem(1, column, "class.roster_unknown_column", name=name, known=", ".join(COLUMNS))
        elif header.index(name) != column - 1:
            problem(1, column, "class.roster_repeated_column", name=name)
    for name in ("student", "repo"):
        if name not in header:
            problem(1, name, "class.roster_missing_column", name=name)
    if problems:
        raise RosterError(problems)
    entries, seen = [], {}
    line = 1
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problem(line, len(row), "class.roster_field_count", found=len(row), expected=len(header))
            continue
        values = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        student, repo = values["student"], values["repo"]
        commit, deadline = values.get("commit", "").lower(), values.get("deadline", "")
        if not student:
            problem(line, "student", "class.roster_empty", name="student")
        elif student in seen:
            problem(line, "student", "class.roster_duplicate", student=_printable(student), first=seen[student])
        else:
            seen[student] = line
        if not repo:
            problem(line, "repo", "class.roster_empty", name="repo")
        if commit and not COMMIT.fullmatch(commit):
            problem(line, "commit", "class.roster_bad_commit", value=_printable(commit))
        if commit and deadline:
            problem(line, "deadline", "class.roster_commit_and_deadline")
        if deadline:
            try:
                deadline = parse_deadline(deadline).isoformat()
            except ValueError:
                problem(line, "deadline", "class.roster_bad_deadline", value=_printable(deadline))
        entries.append(Entry(len(entries), line, student, repo, commit, deadline))
    if not entries and not problems:
        problem(line, "student", "class.roster_empty_class")
    if problems:
        raise RosterError(problems)
    folders = safe_folders([entry.student for entry in entries])
    return [Entry(**{**asdict(entry), "folder": folder}) for entry, folder in zip(entries, folders, strict=True)]


def parse_deadline(text):
    """An aware datetime from ISO 8601 (``2026-03-01``, ``2026-03-01T23:59``, ``...Z``, ``...+09:00``); UTC if naive.

    A date alone means the end of that day. Raises ValueError.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T23:59:59"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def safe_folders(names):
    """A folder name for each student name: letters, digits, ``._-`` only, at most 60 characters, unique.

    Unique also where file systems ignore case; never empty, never starting with a dot.
    """
    folders, taken = [], set()
    for name in names:
        cleaned = "".join(character if character.isalnum() or character in "._-" else "_"
                          for character in unicodedata.normalize("NFC", name))
        cleaned = re.sub(r"[._-]*_[._-]*", "_", cleaned).strip("._-")[:60].strip("._-") or "student"
        folder, number = cleaned, 1
        while folder.lower() in taken:
            number += 1
            folder = f"{cleaned}-{number}"
        taken.add(folder.lower())
        folders.append(folder)
    return folders


def parse_shard(text):
    """(K, N) from "K/N", 1 <= K <= N; raises ValueError."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise ValueError(text)
    return int(found.group(1)), int(found.group(2))


def in_shard(entry, shard):
    """Whether ``entry`` belongs to ``shard`` ((K, N), or None for the whole class): roster index mod N."""
    return shard is None or entry.index % shard[1] == shard[0] - 1


def public_url(repo):
    """``repo`` as the reports keep it: without a password or token (``https://user:TOKEN@host/...``)."""
    return re.sub(r"://[^/@\s]+@", "://", repo)


def _printable(text, limit=MAX_REASON):
    """``text`` on one line, without control characters or a URL's password, cut to ``limit`` characters."""
    text = "".join(character if character.isprintable() else " " for character in str(text))
    text = public_url(text)  # https://x-access-token:SECRET@github.com/... in git's errors
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- fetching one fork


@dataclass
class Fetched:
    status: str  # "fetched", or a gradebook status
    reason: str = ""
    root: Path = None
    commit: str = ""


class _Bound(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def git_environment():
    """This environment without git's own variables (GIT_DIR, ...), but for the instructor's credentials
    (``GIT_CONFIG_COUNT``/``KEY_n``/``VALUE_n``, ``GIT_SSH_COMMAND``, ``GIT_ASKPASS``), and no prompt."""
    keep = re.compile(r"GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)|GIT_SSH_COMMAND|GIT_ASKPASS")
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("GIT_") or keep.fullmatch(name)}
    environment.update(GIT_TERMINAL_PROMPT="0", GIT_LFS_SKIP_SMUDGE="1", LC_ALL="C", GIT_CONFIG_NOSYSTEM="1")
    return environment


def _size(folder):
    total = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(parent, name)).st_size
            except OSError:
                pass
    return total


def _git(arguments, cwd, deadline, max_bytes, watch):
    """Run git with ``GIT_CONFIG``; kill it past ``deadline``, when ``watch`` grows over ``max_bytes``,
    or when its output passes ``GIT_OUTPUT_BYTES`` (its messages are cut there: a server sends them).

    Returns the CompletedProcess-like (returncode, stdout, stderr); raises _Bound.
    """
    command = ["git"]
    for setting in GIT_CONFIG:
        command += ["-c", setting]
    process = subprocess.Popen([*command, *arguments], cwd=cwd, env=git_environment(), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    with _RUNNING_LOCK:
        _RUNNING.add(process)
    output = {}

    def read(name, stream):
        kept = bytearray()
        for chunk in iter(lambda: stream.read1(1 << 16), b""):
            kept += chunk[: GIT_OUTPUT_BYTES - len(kept)]
            if name == "out" and len(kept) >= GIT_OUTPUT_BYTES:
                output["overflow"] = True
                break
        output[name] = bytes(kept)
    readers = [threading.Thread(target=read, args=(name, stream), daemon=True)
               for name, stream in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    try:
        while process.poll() is None:
            try:
                process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                raise _Bound("error", f"fetching took over {FETCH_SECONDS} s")
            if _size(watch) > max_bytes:
                raise _Bound("refused", f"the repository is over {max_bytes // 1024 // 1024} MB: a fork is a few MB")
            if output.get("overflow"):
                break
    finally:
        _stop(process)
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
        for reader in readers:
            reader.join(timeout=5)
    if output.get("overflow"):
        raise _Bound("refused", f"git {arguments[0]} wrote over {GIT_OUTPUT_BYTES // 1024} KB: a fork is a few files")
    stdout = output.get("out", b"").decode("utf-8", "replace")
    stderr = output.get("err", b"").decode("utf-8", "replace")
    return process.returncode, stdout, stderr


_RUNNING, _RUNNING_LOCK = set(), threading.Lock()  # the git processes running now, stopped on Ctrl-C


def _stop(process):
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()


def _missing(stderr):
    text = stderr.lower()
    # Not "could not read from remote repository": ssh says it for a host that cannot be reached, or a key refused.
    return any(sign in text for sign in ("not found", "does not exist", "does not appear to be a git repository"))


def fetch(entry, roster_folder, into, seconds=FETCH_SECONDS, max_bytes=FETCH_BYTES):
    """Fetch the commit ``entry`` names into the new folder ``into``, with only its katas/ checked out."""
    repo = entry.repo
    if not URL.match(repo):
        local = Path(repo).expanduser()
        local = local if local.is_absolute() else Path(roster_folder) / local
        if not local.exists():
            return Fetched("no-repository", f"{repo}: no such folder")
        if not (local / ".git").exists():
            return Fetched("not-a-clone", f"{repo} is a folder but not a git clone (it has no .git)")
        repo = local.resolve().as_uri()
    deadline = time.monotonic() + seconds
    into = Path(into)
    into.mkdir(parents=True)

    def git(*arguments, what):
        code, stdout, stderr = _git(arguments, into, deadline, max_bytes, into)
        if code != 0:
            raise _Bound("no-repository" if what == "fetch" and _missing(stderr) else "error",
                          f"git {what} failed: {_printable(stderr.strip() or f'exit status {code}')}")
        return stdout.strip()
    try:
        git("init", "-q", "--template=", ".", what="init")
        git("remote", "add", "origin", repo, what="remote add")
        if entry.commit:
            git("fetch", "-q", "--depth", "1", "--no-tags", "origin", entry.commit, what="fetch")
            commit = git("rev-parse", "--verify", "FETCH_HEAD^{commit}", what="rev-parse")
        elif entry.deadline:
            git("fetch", "-q", "--no-tags", "--filter=blob:none", "origin", "HEAD", what="fetch")
            moment = int(datetime.fromisoformat(entry.deadline).timestamp())
            commit = git("rev-list", "-1", f"--before={moment}", "FETCH_HEAD", what="rev-list")
            if not commit:
                return Fetched("error", f"no commit at or before the deadline {entry.deadline}")
        else:
            git("fetch", "-q", "--depth", "1", "--no-tags", "origin", "HEAD", what="fetch")
            commit = git("rev-parse", "--verify", "FETCH_HEAD^{commit}", what="rev-parse")
        if not COMMIT.fullmatch(commit):
            return Fetched("error", "git gave no commit id")
        git("update-ref", "--no-deref", "HEAD", commit, what="update-ref")  # grade.commit_of reads it
        if not git("ls-tree", "-d", commit, "katas", what="ls-tree"):
            return Fetched("error", f"commit {commit[:12]} has no katas/ folder", commit=commit)
        listed = git("ls-tree", "-r", "-t", "-z", "--name-only", commit, "--", "katas", what="ls-tree")
        if listed.count("\0") > CHECKOUT_ENTRIES:
            return Fetched("refused", f"katas/ holds over {CHECKOUT_ENTRIES} files and folders: a fork has a few "
                           "dozen", commit=commit)
        git("checkout", "-q", commit, "--", "katas", what="checkout")
    except _Bound as bound:
        return Fetched(bound.status, bound.reason)
    except OSError as error:
        return Fetched("error", f"git could not run: {error}")
    return Fetched("fetched", root=into, commit=commit)


# ---------------------------------------------------------------- grading one student


@dataclass
class Settings:
    """What every student of a run shares: the judge and its inputs, the bounds."""
    roster_folder: Path
    out: Path
    labels: list
    chapter_seconds: float
    judge_key: str
    max_points: dict
    fetch_seconds: float = FETCH_SECONDS
    fetch_bytes: int = FETCH_BYTES

    def __post_init__(self):
        self._prepared, self._lock = None, threading.Lock()

    def prepared(self):
        """The reference side (``judge.prepare``), computed by the first fork that needs it, once for the class."""
        with self._lock:
            if self._prepared is None:
                try:
                    self._prepared = judge.prepare(self.labels)
                except judge.JudgeError as error:  # the grading machine's problem: every fork says so, once computed
                    self._prepared = error
            if isinstance(self._prepared, Exception):
                raise self._prepared
            return self._prepared


def judge_key(root, labels, chapter_seconds):
    """What a result was graded with: the grading manifest's digest, the chapters and their time."""
    content = (Path(root) / manifest.MANIFEST).read_bytes()
    text = json.dumps({"manifest": hashlib.sha256(content).hexdigest(), "chapters": list(labels),
                       "chapter_seconds": chapter_seconds}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def student_folder(out, entry):
    return Path(out) / STUDENTS / entry.folder


def load_result(out, entry):
    """The result.json written for ``entry``'s student, or None (a line added above it changes nothing)."""
    try:
        result = json.loads((student_folder(out, entry) / RESULT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(result, dict) or result.get("student") != entry.student:
        return None
    return result


def _write_json(path, value):
    reports._write(Path(path), json.dumps(value, indent=1, ensure_ascii=False) + "\n")


def grade_one(fork_root, output_dir, settings, entry):
    """Grade one fetched fork into ``output_dir`` (its three reports); return the grade dict.

    The one place a class calls the single-fork grader (grade.py) and its reports.
    """
    grade, _ = grading.judge_fork(fork_root, REPO_ROOT, None, settings.labels, settings.chapter_seconds,
                                  prepared=settings.prepared(), echo=False)
    grade["options"]["fork"] = public_url(entry.repo)
    grade["student"] = entry.student
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    reports._write(Path(output_dir) / reports.GRADE_JSON, json.dumps(grade, indent=1, ensure_ascii=False) + "\n")
    reports._write(Path(output_dir) / reports.JUNIT_XML, reports.render_junit(grade))
    reports._write(Path(output_dir) / reports.SUMMARY_MD, reports.render_summary(grade))
    return grade


def _result(entry, settings, status, reason="", commit="", grade=None, seconds=0.0):
    chapters = {}
    if grade is not None:
        chapters = {label: {key: chapter[key] for key in ("points", "max_points", "passed", "total")}
                    for label, chapter in grade.get("chapters", {}).items()}
    graded = status == "graded"
    return {
        "student": entry.student, "index": entry.index, "line": entry.line, "repo": public_url(entry.repo),
        "commit_asked": entry.commit, "deadline": entry.deadline, "folder": entry.folder,
        "status": status, "reason": _printable(reason), "commit": commit or "",
        "judge": settings.judge_key, "points": grade["points"] if graded else None,
        "max_points": grade["max_points"] if graded else sum(settings.max_points.values()),
        "percent": grade["percent"] if graded else None, "chapters": chapters, "seconds": round(seconds, 1),
    }


def reusable(previous, entry, commit, settings):
    """Whether ``previous`` (a result.json) still holds: graded, same repository and commit, same judge."""
    return (previous is not None and previous.get("status") == "graded" and previous.get("commit") == commit
            and previous.get("repo") == public_url(entry.repo) and previous.get("judge") == settings.judge_key)


def grade_student(entry, settings):
    """Fetch, grade and record one student; return (result dict, whether it was graded now). Never raises."""
    started = time.monotonic()
    folder = student_folder(settings.out, entry)
    work = Path(settings.out) / WORK / entry.folder
    shutil.rmtree(work, ignore_errors=True)
    made_reports = False
    try:
        fetched = fetch(entry, settings.roster_folder, work, settings.fetch_seconds, settings.fetch_bytes)
        previous = load_result(settings.out, entry)
        if fetched.status == "fetched" and reusable(previous, entry, fetched.commit, settings):
            return previous, False
        if fetched.status != "fetched":
            result = _result(entry, settings, fetched.status, fetched.reason, fetched.commit,
                             seconds=time.monotonic() - started)
        else:
            grade = grade_one(fetched.root, folder, settings, entry)
            made_reports = True
            result = _result(entry, settings, grade["status"], "; ".join(grade["problems"]), fetched.commit,
                             grade, time.monotonic() - started)
    except Exception as error:  # noqa: BLE001 - one fork's failure is that student's error, never the class's
        result = _result(entry, settings, "error", f"the judge failed on this fork: {type(error).__name__}: {error}",
                         seconds=time.monotonic() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    if not made_reports:  # no reports of an earlier commit beside this result
        for name in (reports.GRADE_JSON, reports.JUNIT_XML, reports.SUMMARY_MD):
            (folder / name).unlink(missing_ok=True)
    _write_json(folder / RESULT, result)
    return result, True


# ---------------------------------------------------------------- the gradebook


def chapter_column(label):
    return f"chapter_{label}"


def gradebook_columns(labels):
    return ["student", "status", "reason", "points", "max_points", "percent", "commit",
            *[chapter_column(label) for label in labels]]


def _cell(value):
    """A CSV cell a spreadsheet shows as text: no formula (=, +, -, @ first), no control characters."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return reports.fmt(value)
    text = _printable(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def gradebook_rows(out, entries, labels, max_points, *, key):
    """The gradebook's rows (dicts), one per roster entry, in roster order, from the result.json files.

    A result of another judge (``key``: ``judge_key``'s) or of another
    repository than the roster line's, left by an earlier run that this one
    has not redone yet (it stopped), counts as not graded yet.
    """
    rows = []
    for entry in entries:
        result = load_result(out, entry)
        if result is not None and (result.get("judge") != key or result.get("repo") != public_url(entry.repo)):
            result = None
        result = result or {
            "status": "error", "reason": NOT_GRADED_YET, "points": None, "percent": None, "commit": "",
            "max_points": sum(max_points.values()), "chapters": {}}
        row = {"student": entry.student, "status": result["status"], "reason": result.get("reason", ""),
               "points": result.get("points"), "max_points": result.get("max_points"),
               "percent": result.get("percent"), "commit": result.get("commit", "")}
        for label in labels:
            chapter = result.get("chapters", {}).get(label)
            row[chapter_column(label)] = chapter["points"] if chapter else None
        rows.append(row)
    return rows


def write_gradebook(out, rows, labels):
    """Write OUT/gradebook.csv from ``rows`` (atomically); return its path."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=gradebook_columns(labels), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _cell(value) for name, value in row.items()})
    path = Path(out) / GRADEBOOK
    reports._write(path, buffer.getvalue())
    return path


def finish(out, entries, labels, max_points, key, quiet=False):
    """Rebuild the gradebook and the summary (table, OUT/summary.png) from the results of judge ``key``;
    return the rows."""
    from . import class_summary

    rows = gradebook_rows(out, entries, labels, max_points, key=key)
    write_gradebook(out, rows, labels)
    summary = class_summary.summarize(rows, labels, max_points)
    class_summary.write_png(summary, Path(out) / class_summary.PNG)
    if not quiet:
        class_summary.print_table(summary)
        print(t("class.wrote", gradebook=Path(out) / GRADEBOOK, png=Path(out) / class_summary.PNG,
                students=Path(out) / STUDENTS))
    return rows


# ---------------------------------------------------------------- a class run, and a merge


def default_jobs():
    """Forks graded at once: one per core, as memory allows (``JOB_MEMORY_BYTES`` each); 1 when not root.

    Not as root, every sandbox runs as the same user, whose process limit they
    share: one fork starting processes could starve a classmate's chapter.
    """
    if not sandbox.run_as_root():
        return 1
    available = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            available = JOB_MEMORY_BYTES
    return max(1, min(os.cpu_count() or 1, available // JOB_MEMORY_BYTES))


def point_table(labels):
    points = grading.load_points((REPO_ROOT / manifest.POINTS).read_text(encoding="utf-8"))
    return {label: points["chapters"][label] for label in labels}


def _class_record(roster, entries, shard, key, labels):
    return {"roster_sha256": hashlib.sha256(Path(roster).read_bytes()).hexdigest(),
            "shard": list(shard) if shard else None, "judge": key, "chapters": labels,
            "entries": [{**asdict(entry), "repo": public_url(entry.repo)} for entry in entries]}


def run_class(roster, out, jobs=None, shard=None, labels=None, chapter_seconds=judge.CHAPTER_SECONDS,
              fetch_seconds=FETCH_SECONDS, fetch_bytes=FETCH_BYTES, progress=True):
    """Grade the roster's students (of ``shard`` only, when given) into ``out``; return the exit status.

    Raises RosterError for a bad roster. Exit statuses as grade.py's: 0 the
    class ran (whatever each student's status), 3 refused, 4 could not run, 130 interrupted.
    """
    from tqdm import tqdm

    entries = read_roster(roster)
    labels = labels or [entry.label for entry in CHAPTERS]
    out = Path(out)
    mine = [entry for entry in entries if in_shard(entry, shard)]
    try:
        sandbox.check()
        grading.verify_grading_files(REPO_ROOT)
        key = judge_key(REPO_ROOT, labels, chapter_seconds)
        max_points = point_table(labels)
    except grading.Refused as refusal:
        print(t("class.refused", problems="; ".join(refusal.problems)), file=sys.stderr)
        return grading.EXIT_REFUSED
    except (sandbox.Unavailable, judge.JudgeError, ValueError, OSError) as error:
        print(t("class.not_run", error=error), file=sys.stderr)
        return grading.EXIT_NOT_RUN
    (out / STUDENTS).mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / WORK, ignore_errors=True)
    _write_json(out / CLASS_JSON, _class_record(roster, entries, shard, key, labels))
    settings = Settings(Path(roster).resolve().parent, out, labels, chapter_seconds, key, max_points,
                        fetch_seconds, fetch_bytes)
    jobs = jobs or default_jobs()
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="kata-class")
    interrupted = False
    try:
        futures = [executor.submit(grade_student, entry, settings) for entry in mine]
        print(t("class.start", students=len(mine), total=len(entries), jobs=jobs,
                shard=f"{shard[0]}/{shard[1]}" if shard else "-"), flush=True)
        with tqdm(total=len(futures), unit="fork", desc=t("class.progress"), disable=not progress,
                  file=sys.stderr, mininterval=1 if sys.stderr.isatty() else 30) as bar:
            for future in as_completed(futures):
                bar.update()
                result, _ = future.result()
                bar.set_postfix_str(f"{_printable(result['student'], 20)}: {result['status']}", refresh=False)
    except KeyboardInterrupt:
        interrupted = True
        executor.shutdown(wait=False, cancel_futures=True)
    else:
        executor.shutdown(wait=True)
    finish(out, mine if shard else entries, labels, max_points, key)
    if interrupted:
        with _RUNNING_LOCK:
            for process in list(_RUNNING):
                _stop(process)
        print(t("class.interrupted"), file=sys.stderr, flush=True)
        shutil.rmtree(out / WORK, ignore_errors=True)
        os._exit(130)  # the running threads' sandboxes die with this process (--die-with-parent)
    shutil.rmtree(out / WORK, ignore_errors=True)
    return grading.EXIT_GRADED


def _same_folder(one, other):
    try:
        return one.samefile(other)
    except OSError:
        return False


def merge(out, shard_folders):
    """Put the shards' student folders into ``out`` and rebuild one gradebook; return the rows.

    Raises ClassError unless the shards come from one roster and one judge and cover every shard once.
    """
    records = []
    for folder in shard_folders:
        try:
            record = json.loads((Path(folder) / CLASS_JSON).read_text(encoding="utf-8"))
            entries = [Entry(**entry) for entry in record["entries"]]
        except (OSError, ValueError, TypeError, KeyError):  # TypeError, KeyError: a JSON file but no class's record
            raise ClassError(t("class.merge_not_a_shard", folder=folder, name=CLASS_JSON)) from None
        records.append((Path(folder), record))
    first = records[0][1]
    for folder, record in records:
        same = all(record.get(name) == first.get(name) for name in ("roster_sha256", "judge", "chapters"))
        if not same or not record.get("shard") or record["shard"][1] != (first.get("shard") or [0, 0])[1]:
            raise ClassError(t("class.merge_mismatch", folder=folder))
    count = first["shard"][1]
    shards = sorted(record["shard"][0] for _, record in records)
    if shards != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(shards))
        repeated = sorted({shard for shard in shards if shards.count(shard) > 1})
        raise ClassError(t("class.merge_incomplete", count=count,
                           missing=", ".join(f"{k}/{count}" for k in missing) or "-",
                           repeated=", ".join(f"{k}/{count}" for k in repeated) or "-"))
    entries = [Entry(**entry) for entry in first["entries"]]
    # Each student's folder as the class run made it, from their name: never a path class.json could hold.
    entries = [Entry(**{**asdict(entry), "folder": folder})
               for entry, folder in zip(entries, safe_folders([entry.student for entry in entries]), strict=True)]
    out = Path(out)
    (out / STUDENTS).mkdir(parents=True, exist_ok=True)
    for folder, record in records:
        shard = tuple(record["shard"])
        for entry in entries:
            source, target = student_folder(folder, entry), student_folder(out, entry)
            if not in_shard(entry, shard) or _same_folder(source, target):
                continue
            # The shard's files replace the student's folder: no result of an earlier run stays beside them.
            if target.is_symlink() or target.is_file():
                target.unlink()
            shutil.rmtree(target, ignore_errors=True)
            if not source.is_dir() or source.is_symlink():
                continue
            target.mkdir(parents=True)
            for path in source.iterdir():
                if path.is_file() and not path.is_symlink():
                    shutil.copyfile(path, target / path.name)
    _write_json(out / CLASS_JSON, {**first, "shard": None})
    return finish(out, entries, first["chapters"], point_table(first["chapters"]), first["judge"])


def main(argv):
    """``class`` and ``merge``: the subcommands of ``python -m kata_tools.grading``."""
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grading", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade_class = commands.add_parser("class", help="grade every fork of a roster into OUT/gradebook.csv")
    grade_class.add_argument("--roster", type=Path, required=True, help="CSV with a student,repo header")
    grade_class.add_argument("--out", type=Path, required=True, help="the folder for the gradebook and reports")
    grade_class.add_argument("--jobs", type=int, help="forks graded at once (default: from the cores and memory)")
    grade_class.add_argument("--shard", default="", help="K/N: grade only the roster lines whose index mod N is K-1")
    grade_class.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade_class.add_argument("--chapters", default="", help=argparse.SUPPRESS)  # the proofs grade a few chapters
    grade_class.add_argument("--chapter-seconds", type=float, default=judge.CHAPTER_SECONDS, help=argparse.SUPPRESS)
    grade_class.add_argument("--fetch-bytes", type=int, default=FETCH_BYTES, help=argparse.SUPPRESS)
    joined = commands.add_parser("merge", help="merge the OUT folders of the shards into one gradebook")
    joined.add_argument("--out", type=Path, required=True)
    joined.add_argument("shards", type=Path, nargs="+", metavar="SHARD_DIR")
    arguments = parser.parse_args(argv)
    if arguments.command == "merge":
        try:
            merge(arguments.out, arguments.shards)
        except ClassError as error:
            print(error, file=sys.stderr)
            return grading.EXIT_USAGE
        return grading.EXIT_GRADED
    shard = None
    if arguments.shard.strip():
        try:
            shard = parse_shard(arguments.shard)
        except ValueError:
            parser.error(t("class.bad_shard", value=arguments.shard))
    if arguments.jobs is not None and arguments.jobs < 1:
        parser.error(t("class.bad_jobs", value=arguments.jobs))
    labels = [f"{int(label):02d}" for label in arguments.chapters.split(",") if label.strip()] or None
    try:
        return run_class(arguments.roster, arguments.out, arguments.jobs, shard, labels, arguments.chapter_seconds,
                         fetch_bytes=arguments.fetch_bytes, progress=not arguments.no_progress)
    except RosterError as error:
        for problem in error.problems[:30]:
            print(problem, file=sys.stderr)
        if len(error.problems) > 30:
            print(t("class.roster_more", count=len(error.problems) - 30), file=sys.stderr)
        return grading.EXIT_USAGE
