"""Grading reads what comes out of the sandbox as hostile data, bounded, and copies only bounded kata files.

The reader (``kata_tools.grading.wire``) is fuzzed with Hypothesis: no
frame, no ``.npy`` array and no stream of bytes makes the judge raise
anything but ``WireError``, or keep more than its bounds. Then one hostile
fork, graded as ``make grade FORK=`` grades it, packs an attack into each of
chapters 01 to 06 (arrays that lie about their size, lines written straight
to the result channel, a flood of lines, nested JSON, a huge exception class
name with control characters, a stopped worker that keeps saying
"started") and file names a console or a report writer could trip on; an
honest fork with helper sub-packages keeps full marks. Last, the sandbox's
writable space is measured as root and as a normal user.
"""

import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from checks.test_grading import (
    ATTACK_CHAPTER_SECONDS,
    MODULES,
    explain,
    run_grader,
    solved_fork,
    stub_fork,
    tree_digest,
)
from kata_tools.grading import grade as grader
from kata_tools.grading import judge, reports, sandbox, wire

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
MiB = 1024 * 1024


# ---------------------------------------------------------------- the reader, fuzzed


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header(descr, shape, fortran=False, version=1):
    """The bytes of a .npy header that says what it is told to: true or not."""
    header = repr({"descr": descr, "fortran_order": fortran, "shape": shape}).encode("latin1")
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    size = len(header).to_bytes(2 if version == 1 else 4, "little")
    return b"\x93NUMPY" + bytes([version, 0]) + size + header


descrs = st.sampled_from(["<f4", "<f8", ">f8", "<i8", "|b1", "|u1", "<f2", "|O", "<U5", "|V8", "<c16", "<M8[s]",
                          [("a", "<f4")], "(2,)<f4", "<f16", 5, "nonsense"])
shapes = st.one_of(st.tuples(), st.lists(st.integers(-3, 2**40), max_size=10).map(tuple),
                   st.lists(st.integers(0, 5), max_size=4).map(tuple), st.just([2, 3]), st.just("2"))


@st.composite
def arrays_that_lie(draw):
    """.npy bytes: a header of any claim, then data of any length."""
    header = npy_header(draw(descrs), draw(shapes), draw(st.booleans()), draw(st.sampled_from([1, 2, 3])))
    data = draw(st.binary(max_size=256))
    cut = draw(st.integers(0, len(header)))
    return draw(st.sampled_from([header + data, header[:cut], data, header + b"\0" * 48]))


honest_arrays = hnp.arrays(dtype=st.one_of(hnp.integer_dtypes(), hnp.floating_dtypes(), hnp.boolean_dtypes()),
                           shape=hnp.array_shapes(min_dims=0, max_dims=4, max_side=5))


@FUZZ
@given(arrays_that_lie())
def test_no_npy_bytes_crash_the_reader(data):
    try:
        array = wire.read_array(data)
    except wire.WireError as error:
        assert str(error)
        return
    assert array.dtype.kind in wire.ALLOWED_KINDS and array.nbytes <= wire.LIMITS.array_bytes


@FUZZ
@given(honest_arrays)
def test_every_honest_array_reads_back_the_same(array):
    again = wire.read_array(npy(array))
    assert again.dtype == array.dtype.newbyteorder("=") and again.shape == array.shape
    assert np.array_equal(again, array, equal_nan=array.dtype.kind == "f")


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(st.text(max_size=8), children,
                                                                                max_size=5)),
    max_leaves=30)


@st.composite
def hostile_texts(draw):
    """JSON text with arrays of every kind, nesting of any depth, or no JSON at all."""
    kind = draw(st.sampled_from(["value", "arrays", "deep", "wide", "raw"]))
    if kind == "value":
        return json.dumps(draw(json_values))
    if kind == "arrays":
        blob = draw(st.one_of(arrays_that_lie(), honest_arrays.map(npy)))
        text = base64.b64encode(blob).decode("ascii")
        return json.dumps({"x": [{wire.ARRAY_KEY: draw(st.sampled_from([text, text[:-2] + "!", 5, [text]]))}],
                           "y": draw(json_values)})
    if kind == "deep":
        depth = draw(st.integers(1, 5000))
        opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('["\\"', "]")]))
        return opening * depth + "0" + closing * draw(st.integers(0, depth))
    if kind == "wide":
        return "[" + ",".join(["[]"] * draw(st.integers(0, 300_000))) + "]"
    return draw(st.text(alphabet=st.sampled_from('[]{}",:\\0a1e.- \n\ud800'), max_size=200))


@FUZZ
@given(hostile_texts(), st.booleans())
def test_no_text_crashes_the_reader(text, tensors):
    try:
        wire.decode(text, tensors=tensors)
    except wire.WireError as error:
        assert str(error)


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=64), st.just(b"\n" * 50), st.just(b'{"done": true}\n')), max_size=30),
       st.integers(1, 40))
def test_the_line_reader_keeps_its_bounds(chunks, max_lines):
    lines = wire.Lines(max_lines=max_lines, max_line_bytes=100)
    returned = 0
    for chunk in chunks:
        for line in lines.feed(chunk):
            assert b"\n" not in line and len(line) <= 100
            returned += 1
        assert len(lines.buffer) <= 100
    assert returned <= max_lines and (lines.refused is None or "more than" in lines.refused
                                      or "over 100 bytes" in lines.refused)


KEYS = ["katas/05", "katas/06", "katas/07"]


@st.composite
def worker_streams(draw):
    """What a worker, or a kata writing to the result channel itself, could send: as chunks of bytes."""
    frame = st.one_of(
        st.builds(lambda key: {"started": key}, st.sampled_from(KEYS + ["katas/99", 5])),
        st.builds(lambda key, results: {"key": key, "results": results}, st.sampled_from(KEYS + [None]),
                  st.one_of(json_values, st.dictionaries(st.text(max_size=5), json_values, max_size=3))),
        st.just({"done": True}), st.just({"done": "yes"}), json_values)
    lines = draw(st.lists(st.one_of(frame.map(lambda value: json.dumps(value).encode()),
                                    st.binary(max_size=40), st.just(b"[" * 100)), max_size=40))
    stream = b"\n".join(lines) + draw(st.sampled_from([b"\n", b""]))
    cuts = sorted(draw(st.lists(st.integers(0, len(stream)), max_size=5)))
    return [stream[start:end] for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True)]


def collect(chunks, chapter_seconds=0.3, pause=0.0):
    """Run the judge's reading of a sandbox on ``chunks`` written to a pipe; return (started, received, notes)."""
    read_end, write_end = os.pipe()
    stop = threading.Event()

    def write():
        try:
            for chunk in chunks:
                if stop.is_set():
                    break
                os.write(write_end, chunk)
                time.sleep(pause)
        except OSError:
            pass
        finally:
            os.close(write_end)
    writer = threading.Thread(target=write)
    writer.start()
    received, notes = {}, {}
    try:
        started = judge._collect(None, read_end, list(KEYS), received, notes, time.monotonic() + 20, chapter_seconds)
    finally:
        stop.set()
        os.close(read_end)
        writer.join()
    return started, received, notes


@pytest.fixture
def short_times(monkeypatch):
    monkeypatch.setattr(judge, "START_SECONDS", 0.3)
    monkeypatch.setattr(judge, "GRACE_SECONDS", 0.3)


@settings(FUZZ, max_examples=80)
@given(worker_streams())
def test_no_stream_from_the_sandbox_crashes_the_judge(short_times, chunks):
    started, received, notes = collect(chunks)
    assert isinstance(started, set) and set(received) <= set(KEYS) and set(notes) <= set(KEYS)
    assert all(isinstance(results, dict) for results in received.values())
    assert all(isinstance(note, str) and len(note) < 400 for note in notes.values())


def test_a_stopped_worker_saying_started_again_gets_no_more_time(short_times):
    again = [json.dumps({"started": "katas/05"}).encode() + b"\n"] * 200  # 200 × 0.05 s: 10 s if each reset it
    begun = time.monotonic()
    started, received, notes = collect(again, chapter_seconds=0.5, pause=0.05)
    assert time.monotonic() - begun < 3, "saying 'started' again extended the chapter's time"
    assert "ran past its 0.5 s" in notes["katas/05"] and not received


def test_the_judge_stops_reading_a_flood_of_lines_and_names_it(short_times):
    flood = [json.dumps({"started": "katas/05"}).encode() + b"\n" + b"{}\n" * 200_000]
    begun = time.monotonic()
    _, _, notes = collect(flood)
    assert time.monotonic() - begun < 3
    assert "more than 20 lines" in notes["katas/05"], notes


@pytest.mark.parametrize("data, reason", [
    (npy_header("<f8", (10**6, 10**6)) + b"\0" * 16, "too large"),
    (npy_header("<f8", (4,)) + b"\0" * 16, "data is 16 bytes, its header says 32"),
    (npy_header("|O", (1,)) + b"\0" * 8, "dtype"),
    (npy_header("<f8", (1,) * 12) + b"\0" * 8, "shape"),
    (b"\x93NUMPY\x01\x00", "header is unreadable"),
    (b"PK\x03\x04 a zip, not an array", "header is unreadable"),
])
def test_an_array_is_checked_before_it_is_read(data, reason):
    with pytest.raises(wire.WireError, match=reason):
        wire.read_array(data)


@pytest.mark.parametrize("text, reason", [
    ("[" * 40 + "]" * 40, "nested too deeply"),
    ("[" + "[]," * 250_000 + "[]]", "too many items"),
    ('"' + "x" * (wire.MAX_LINE_BYTES + 1) + '"', "too large"),
    ('{"__npy__": "AAAA", "other": 1}', "one key"),
])
def test_text_past_a_bound_is_refused_before_it_is_built(text, reason):
    with pytest.raises(wire.WireError, match=reason):
        wire.decode(text)


# ---------------------------------------------------------------- copying a fork's katas/


def test_copying_takes_sub_packages_and_leaves_out_what_is_unsafe_or_too_much(tmp_path, monkeypatch):
    source = tmp_path / "fork" / "katas"
    (source / "helpers" / "deeper").mkdir(parents=True)
    (source / "chapter05_layer_norm.py").write_text("from .helpers.norms import mean\n")
    (source / "helpers" / "__init__.py").write_text("")
    (source / "helpers" / "norms.py").write_text("def mean(x):\n    return x.mean()\n")
    (source / "helpers" / "table.csv").write_text("a,b\n")  # data: not copied
    (source / "helpers" / "deeper" / "more.py").write_text("X = 1\n")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "chapter05_layer_norm.cpython-311.pyc").write_bytes(b"\0" * 32)
    (source / "link.py").symlink_to(source / "helpers" / "norms.py")
    (source / "linked").symlink_to(source / "helpers", target_is_directory=True)
    os.mkfifo(source / "fifo.py")
    os.makedirs(os.fsencode(source) + b"/bad\xffpackage")
    (Path(os.fsencode(source).decode("utf-8", "surrogateescape")) / "bad\udcffpackage" / "x.py").write_text("")
    with open(os.fsencode(source) + b"/not\xffutf8.py", "wb") as file:
        file.write(b"X = 1\n")
    (source / "new\nline\x1b[31m.py").write_text("")
    (source / "with-dash.py").write_text("")
    copied, problems = sandbox.copy_katas(source, tmp_path / "copy")
    assert sorted(copied) == ["chapter05_layer_norm.py", "helpers/__init__.py", "helpers/deeper/more.py",
                              "helpers/norms.py"], copied
    assert not (tmp_path / "copy" / "helpers" / "table.csv").exists()
    assert not (tmp_path / "copy" / "__pycache__").exists()
    text = "\n".join(problems)
    for named in ("katas/link.py is a link", "katas/fifo.py is not a plain file", "katas/bad\\udcffpackage/",
                  "katas/not\\udcffutf8.py", "katas/new\\nline\\x1b[31m.py", "katas/with-dash.py"):
        assert named in text, (named, problems)
    assert all(character.isprintable() for character in text.replace("\n", "")), problems
    # the bounds: depth, count, total size
    monkeypatch.setattr(sandbox, "MAX_KATA_DEPTH", 1)
    monkeypatch.setattr(sandbox, "MAX_KATA_FILES", 3)
    monkeypatch.setattr(sandbox, "MAX_KATAS_BYTES", 40)
    copied, problems = sandbox.copy_katas(source, tmp_path / "bounded")
    text = "\n".join(problems)
    assert "katas/helpers/deeper/ was left out: packages go at most 1 folders deep" in text
    assert "the kata files may hold" in text and len(copied) <= 3
    assert sum((tmp_path / "bounded" / name).stat().st_size for name in copied) <= 40


# ---------------------------------------------------------------- a hostile fork, graded


FORGE = """
import json as _json, os as _os, sys as _sys
_fd = int(open("/proc/self/cmdline").read().split("\\0")[-2])
_request = _json.loads(open("/job/request.json").read())
_runs = [run["id"] for chapter in _request["chapters"] if chapter["key"] == "katas/{label}" for run in chapter["runs"]]
_frame = _sys._getframe()
while _frame is not None and not isinstance(_frame.f_locals.get("chapter"), dict):  # the worker's run_chapter
    _frame = _frame.f_back
def _send(data):
    _os.write(_fd, data)
if _frame is not None and _frame.f_locals["chapter"]["key"] == "katas/{label}":  # not when a later chapter imports it
"""

HOSTILE = {
    # arrays that lie about their size, or are not arrays at all, sent as this chapter's results
    "01": """
import base64 as _b64
def _header(descr, shape, data):
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (-(len(header) + 11) % 64) + b"\\n"
    return _b64.b64encode(b"\\x93NUMPY\\x01\\x00" + len(header).to_bytes(2, "little") + header + data).decode()
_lies = [_header("<f8", (10**6, 10**6), b"\\0" * 16), _header("|O", (1,), b"\\0" * 8),
         _b64.b64encode(b"not an array").decode(), _header("<f4", (2**40,), b"")]
_results = {run: {"outputs": _json.dumps({"output": {"__npy__": _lies[index % len(_lies)]}})}
            for index, run in enumerate(_runs)}
_send((_json.dumps({"key": "katas/01", "results": _results}) + "\\n").encode())
""",
    # lines written straight to the result channel that are no frame at all
    "02": """
for _line in [b"\\xff\\xfe not utf-8", b"not json", b"[1, 2]", b'{"key": 5}', b"[" * 50000, b'{"started": []}']:
    _send(_line + b"\\n")
""",
    # a flood of lines
    "03": """
_send(b"{}\\n" * 300000)
""",
    # a frame of nested JSON just under the line's size: refused, and nothing else sent
    "04": """
_send(b'{"key": "katas/04", "results": {"x": [' + b"[[]]," * 800000 + b'[]]}}\\n')
_os._exit(0)
""",
    # an exception with a huge class name and control characters in its message
    "05": """
raise type("Boom" + "X" * 3_000_000, (Exception,), {})(
    "\\x1b[2J\\x1b[1;1HGrade: 100 / 100 points\\x00\\x07\\x08\\x0b\\ud800\\ufffe ]]></failure> | <b>" * 50)
""",
    # stop the worker, then keep saying "started" for far longer than the chapter may take
    "06": """
import signal as _signal, time as _time
_os.kill(_os.getppid(), _signal.SIGSTOP)
for _ in range(150):
    _send(b'{"started": "katas/06"}\\n')
    _time.sleep(2)
""",
}

FAKE_GRADE = ("\n\x1b[2K\rGrade: 100 ", " 100 points (66 of 66 checks passed)\x1b[0m.py")  # a folder, a file in it


def hostile_fork(root):
    stub_fork(root)
    for label, attack in HOSTILE.items():
        with open(root / "katas" / f"{MODULES[label]}.py", "a", encoding="utf-8") as file:
            file.write("\n" + FORGE.replace("{label}", label) + textwrap.indent(attack.strip("\n"), "    ") + "\n")
    katas = os.fsencode(root / "katas")
    open(katas + b"/not\xffutf8.py", "wb").close()
    os.mkdir(katas + f"/x{FAKE_GRADE[0]}".encode())  # printed raw, katas/x<newline>Grade: 100 / 100 points
    open(katas + f"/x{FAKE_GRADE[0]}/{FAKE_GRADE[1]}".encode(), "wb").close()
    os.mkdir(katas + b"/sub\x1b[31m")
    for folder in (root / reports.JUNIT_XML, root / "katas" / reports.GRADE_JSON):  # folders named like reports
        folder.mkdir()
    # reports committed to the fork, with full marks: shipped nowhere
    (root / reports.GRADE_JSON).write_text(json.dumps({"status": "graded", "points": 100, "max_points": 100}))
    (root / reports.SUMMARY_MD).write_text("## nanoGPT Katas grade: 100 / 100 points\n")
    return root


def test_a_hostile_fork_crashes_nothing_and_its_text_reaches_no_report_raw(instructor, tmp_path):
    fork = hostile_fork(tmp_path / "fork")
    output = tmp_path / "out"
    output.mkdir()
    (output / reports.GRADE_JSON).write_text(json.dumps({"status": "graded", "points": 100}))  # an earlier run's
    before = tree_digest(fork)
    completed, result, seconds = run_grader(instructor, fork, output, "--chapters", "0,1,2,3,4,5,6",
                                            "--chapter-seconds", str(ATTACK_CHAPTER_SECONDS))
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    assert result["status"] == "graded" and result["points"] == 0, explain(completed)
    # The console: nothing a student wrote is printed raw.
    assert "\x1b" not in completed.stdout and "\x00" not in completed.stdout
    assert not [line for line in completed.stdout.splitlines() if line.startswith("Grade: 100")], completed.stdout
    notes = "\n".join(result["notes"])
    assert "katas/not\\udcffutf8.py was left out" in notes and "katas/sub\\x1b[31m/ was left out" in notes
    assert "katas/x\\n\\x1b[2K\\rGrade: 100 / was left out" in notes, notes
    chapters = result["chapters"]
    # 01: arrays that lie fail their checks, each with the reason
    messages = [test["message"] for test in chapters["01"]["tests"]]
    assert all(message.startswith("unreadable results") for message in messages), messages
    assert any("too large" in message for message in messages) and any("dtype" in message for message in messages)
    # 02: junk on the channel is ignored; the chapter's own results are judged
    assert all("NotImplementedError" in test["message"] for test in chapters["02"]["tests"]), chapters["02"]
    # 03: a flood of lines stops that sandbox; 04: a nested frame is refused, with the reason
    assert "more than" in " ".join(chapters["03"]["reasons"]), chapters["03"]["reasons"]
    assert "too many items" in " ".join(chapters["04"]["reasons"]), chapters["04"]["reasons"]
    # 05: the exception's text is escaped and cut
    message = chapters["05"]["tests"][0]["message"]
    assert "BoomXXX" in message and "\\x1b[2J" in message and len(message) <= reports.MESSAGE_CHARACTERS
    # 06: saying "started" again and again does not hold the grade
    assert f"ran past its {ATTACK_CHAPTER_SECONDS:g} s" in " ".join(chapters["06"]["reasons"]), chapters["06"]
    assert seconds < 200, f"grading took {seconds:.0f} s: the stopped worker held it ('started' every 2 s for 300 s)"
    # The reports: the judge's only, valid, small; the fork untouched, its planted reports shipped nowhere.
    assert sorted(path.name for path in output.iterdir()) == sorted(reports.REPORTS)
    ElementTree.parse(output / reports.JUNIT_XML)
    sizes = {name: (output / name).stat().st_size for name in reports.REPORTS}
    assert sum(sizes.values()) < 600_000, sizes
    assert tree_digest(fork) == before


def test_helper_modules_and_sub_packages_in_katas_keep_full_marks(instructor, tmp_path):
    fork = solved_fork(tmp_path / "fork")
    helpers = fork / "katas" / "helpers" / "numerics"
    helpers.mkdir(parents=True)
    (fork / "katas" / "helpers" / "__init__.py").write_text('"""Helpers of my own."""\n')
    (helpers / "stats.py").write_text("def mean_of_last(x):\n    return x.mean(-1, keepdim=True)\n")
    (fork / "katas" / "utils.py").write_text("EPSILON = 1e-5\n")
    path = fork / "katas" / f"{MODULES['05']}.py"
    path.write_text("from .utils import EPSILON as _EPSILON\nfrom .helpers.numerics.stats import mean_of_last\n"
                    "import katas.helpers.numerics.stats as _stats\n" + path.read_text(encoding="utf-8"))
    completed, result, _ = run_grader(instructor, fork, tmp_path / "out", "--chapters", "05")
    assert completed.returncode == grader.EXIT_GRADED, explain(completed)
    chapter = result["chapters"]["05"]
    assert chapter["points"] == chapter["max_points"], chapter["tests"]


# ---------------------------------------------------------------- the sandbox's writable space


PROBE = r"""
import ctypes, json, os, signal, sys
MiB = 1 << 20
if len(sys.argv) > 1 and os.getuid() == 0:  # as the worker does, run as root
    uid = int(sys.argv[1]); os.setgroups([]); os.setgid(uid); os.setuid(uid)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
written = {}
for place in ["/tmp", "/", "/dev", "/dev/shm", "/dev/pts", "/job", "/usr", "/proc/self", "/run", "/var/tmp"]:
    total = 0
    for index in range(6):
        try:
            with open(f"{place}/fill{index}", "wb") as file:
                for _ in range(20):
                    file.write(b"x" * MiB)
                    file.flush()
                    total += MiB
        except OSError:
            pass
    written[place] = total
try:
    descriptor = os.memfd_create("fill")
    os.write(descriptor, b"x" * MiB)
    written["memfd"] = MiB
except OSError:
    written["memfd"] = 0
libc = ctypes.CDLL(None, use_errno=True)
written["shmget"] = MiB if libc.shmget(0, ctypes.c_size_t(64 * MiB), 0o1000 | 0o600) >= 0 else 0
written["user namespace"] = MiB if libc.unshare(0x10000000) == 0 else 0
print(json.dumps(written))
"""


def unprivileged_user_namespaces():
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "unshare", "-U", "true"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.parametrize("as_root", [True, False], ids=["as root", "as a normal user"])
def test_the_sandbox_can_write_only_its_scratch_space(as_root):
    """The same bound both ways: run as root the worker takes a user id of its own; as a normal user
    (a GitHub runner) the sandbox owns bubblewrap's own tmpfs folders, which are remounted read-only."""
    if not Path("/usr/bin/python3").exists():
        pytest.skip("the probe runs the system's /usr/bin/python3, which this machine lacks")
    if as_root and os.getuid() != 0:
        pytest.skip("grading as root is measured when make test runs as root")
    become_normal = os.getuid() == 0 and not as_root  # as root, the normal user is nobody
    if become_normal and (shutil.which("setpriv") is None or not unprivileged_user_namespaces()):
        pytest.skip("this kernel forbids unprivileged user namespaces: a normal user cannot run bubblewrap here")
    job = Path(tempfile.mkdtemp(prefix="kata-sandbox-probe-"))
    try:
        os.chmod(job, 0o755)
        (job / "probe.py").write_text(PROBE)
        os.chmod(job / "probe.py", 0o644)
        seccomp_fd = sandbox.seccomp_descriptor()
        before, after = sandbox.isolation(as_root, seccomp_fd)
        capabilities = ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"] if as_root else []
        argv = [*before, "--ro-bind", str(job), "/job", *after, *capabilities,
                "--", "/usr/bin/python3", "-I", "/job/probe.py", *(["3000123"] if as_root else [])]
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if become_normal else []
        try:
            completed = subprocess.run(user + argv, pass_fds=(seccomp_fd,) if seccomp_fd else (),
                                       capture_output=True, text=True, timeout=120)
        finally:
            if seccomp_fd is not None:
                os.close(seccomp_fd)
    finally:
        shutil.rmtree(job)
    assert completed.returncode == 0, completed.stderr[-2000:]
    written = json.loads(completed.stdout)
    elsewhere = {place: size for place, size in written.items() if place != "/tmp" and size}
    assert not elsewhere, f"the sandbox wrote outside its /tmp: {elsewhere}"
    assert written["/tmp"] <= sandbox.SCRATCH_BYTES
