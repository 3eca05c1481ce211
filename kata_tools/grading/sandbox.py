"""The sandbox: bubblewrap around the worker, with limits, and nothing of the checkout in sight.

What the worker sees (all read-only but its scratch folder):

* ``/job/katas/*.py``: a fresh copy of the student's kata files, made by
  ``copy_katas`` (plain files only: no links, none over 1 MB);
* ``/job/grader``: this folder's ``worker.py``, ``probes.py`` and ``wire.py``;
* the Python installation: the interpreter's prefix, its base prefix and its
  site-packages, by their real paths (a ``.venv`` that is a link is followed),
  and the system's ``/usr`` for the C libraries and compiler torch uses;
* ``/tmp``: an empty scratch tmpfs of 64 MiB, gone with the sandbox.

No network (``--unshare-all``), its own PID namespace, ``--die-with-parent``,
and when the last chapter is done (or the judge gives up on it) the whole
namespace is killed. Limits (setrlimit): address space, file size, core
dumps, processes, and CPU time per chapter. Run as root, the worker becomes a
user id of this run's own before it imports anything, so the process limit
counts only the sandbox's processes.

There is no unsafe fallback: without a working bubblewrap, ``check`` raises
``Unavailable`` and grading refuses to run.
"""

import os
import random
import resource
import shutil
import site
import stat
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

GRADER_FILES = ("worker.py", "probes.py", "wire.py")
MAX_KATA_BYTES = 1_000_000  # one file
MAX_KATAS_BYTES = 4_000_000  # all the files copied from a fork
MAX_KATA_FILES = 200
MAX_KATA_DEPTH = 4  # katas/a/b/c/d/x.py at the deepest
MAX_KATA_PROBLEMS = 20  # what was left out, named one by one; the rest counted in one line
SCRATCH_BYTES = 64 * 1024 * 1024
ADDRESS_SPACE_BYTES = 4 * 1024**3
FILE_BYTES = 32 * 1024 * 1024
EXTRA_PROCESSES = 48
OPEN_FILES = 1024


class Unavailable(Exception):
    """Bubblewrap is missing or cannot start a sandbox here; the message says what to do."""


def _safe_name(name, suffix=""):
    """An ASCII Python identifier (then ``suffix``): importable, and printable as it is."""
    stem = name[: -len(suffix)] if suffix and name.endswith(suffix) else (None if suffix else name)
    return stem is not None and stem.isascii() and stem.isidentifier()


def shown(name, limit=80):
    """A file name from a fork, safe to print: escaped (``ascii``) and cut."""
    text = ascii(name)[1:-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def copy_katas(source, target):
    """Copy the plain ``*.py`` files of ``source`` (a fork's katas/) and its sub-packages into ``target``.

    Returns (copied relative paths, problems). Copies only regular files
    named like Python modules, in folders named like packages, at most
    ``MAX_KATA_DEPTH`` folders deep, each file at most ``MAX_KATA_BYTES``,
    at most ``MAX_KATA_FILES`` files and ``MAX_KATAS_BYTES`` in all, read
    as bytes without following links. A link, anything not a regular file
    or folder, a file too large, a ``.py`` file or folder with a name that
    is not an ASCII identifier, or whatever is past a total, is left out and
    named in ``problems`` (names escaped; the first ``MAX_KATA_PROBLEMS``,
    then one line counting the rest). Other files (``.pth``, data,
    ``__pycache__``, dot folders) are never opened.
    """
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    if source.is_symlink() or not source.is_dir():
        return [], [f"{source.name}/ is a link or not a folder: commit the kata files themselves"]
    copied, named, total, unnamed = [], [], 0, 0

    def left_out(problem):  # thousands of unsafe names make a bounded list, not a line each
        nonlocal unnamed
        if len(named) < MAX_KATA_PROBLEMS:
            named.append(problem)
        else:
            unnamed += 1

    def walk(folder, relative, depth):
        nonlocal total
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            left_out(f"katas/{shown(relative)} cannot be read")
            return
        for entry in entries:
            name = entry.name
            path = f"{relative}{name}"
            if name.startswith(".") or name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                if not _safe_name(name):
                    left_out(f"katas/{shown(path)}/ was left out: a package's name is an ASCII "
                             "Python identifier")
                elif depth >= MAX_KATA_DEPTH:
                    left_out(f"katas/{shown(path)}/ was left out: packages go at most "
                             f"{MAX_KATA_DEPTH} folders deep")
                else:
                    (target / path).mkdir()
                    walk(entry.path, f"{path}/", depth + 1)
                continue
            if not name.endswith(".py"):
                continue
            if not _safe_name(name, ".py"):
                left_out(f"katas/{shown(path)} was left out: a kata file's name is an ASCII Python "
                         "identifier ending in .py")
                continue
            if len(copied) >= MAX_KATA_FILES:
                left_out(f"katas/{shown(path)} was left out: at most {MAX_KATA_FILES} files are copied")
                continue
            try:
                descriptor = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                left_out(f"katas/{shown(path)} is a link or cannot be read: commit the file itself")
                continue
            with os.fdopen(descriptor, "rb") as file:
                if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                    left_out(f"katas/{shown(path)} is not a plain file")
                    continue
                content = file.read(MAX_KATA_BYTES + 1)  # at most a byte past the limit, whatever the file claims
            if len(content) > MAX_KATA_BYTES:
                left_out(f"katas/{shown(path)} is over {MAX_KATA_BYTES // 1_000_000} MB and was left out: "
                         "a kata is a few kB")
                continue
            if total + len(content) > MAX_KATAS_BYTES:
                left_out(f"katas/{shown(path)} was left out: the kata files may hold "
                         f"{MAX_KATAS_BYTES // 1_000_000} MB in all")
                continue
            total += len(content)
            (target / path).write_bytes(content)
            copied.append(path)

    walk(source, "", 0)
    if unnamed:
        named.append(f"{unnamed} more files or folders of katas/ were left out, for the reasons above")
    return copied, named


def copy_tree(source, target):
    """Copy a kata copy made by ``copy_katas`` (folders and plain files of our own) into ``target``."""
    shutil.copytree(source, target, symlinks=False, dirs_exist_ok=True)


def python_paths():
    """The real folders the interpreter needs: its prefixes and site-packages, links resolved."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                  sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    real = sorted({os.path.realpath(path) for path in candidates if os.path.isdir(path)})
    return [path for path in real if not any(path != other and path.startswith(other + os.sep) for other in real)]


def interpreter():
    """The interpreter to run in the sandbox: this one's, through its (resolved) prefix."""
    name = Path(sys.executable).name
    candidate = Path(os.path.realpath(sys.prefix)) / "bin" / name
    return str(candidate if candidate.exists() else os.path.realpath(sys.executable))


def _system_binds():
    binds = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            binds += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            binds += ["--ro-bind", str(path), str(path)]
    for name in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/alternatives"):
        binds += ["--ro-bind-try", name, name]
    return binds


def unshare(as_root):
    """Every namespace; as root, all but the user namespace, so that the worker can take a user id of its own."""
    if as_root:
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all", "--unshare-user"]


# seccomp: what no kata needs and what would let it store more than /tmp holds. A new user namespace (in
# which it could mount a tmpfs of any size), clone3 (whose flags a filter cannot read; the C library falls
# back to clone), memfd_create and System V shared memory (memory outside every file system's size).
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SYSCALLS = {"x86_64": {"clone": 56, "unshare": 272, "clone3": 435, "memfd_create": 319, "shmget": 29},
             "aarch64": {"clone": 220, "unshare": 97, "clone3": 435, "memfd_create": 279, "shmget": 194}}
CLONE_NEWUSER = 0x10000000


def seccomp_program(machine=None):
    """The classic BPF program (bytes, as bwrap's ``--seccomp`` reads it) for this machine, or None if unknown."""
    import platform
    import struct

    machine = machine or platform.machine()
    if machine not in _SYSCALLS:
        return None
    numbers = _SYSCALLS[machine]
    load, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, errno = 0x7FFF0000, 0x00050000
    eperm, enosys = errno | 1, errno | 38
    program = [(load, 0, 0, 4), (jeq, 1, 0, _AUDIT_ARCH[machine]), (ret, 0, 0, enosys),  # another ABI: nothing
               (load, 0, 0, 0)]
    if machine == "x86_64":
        program += [(jge, 0, 1, 0x40000000), (ret, 0, 0, enosys)]  # the x32 ABI
    program += [(jeq, 0, 1, numbers["clone3"]), (ret, 0, 0, enosys),
                (jeq, 0, 1, numbers["memfd_create"]), (ret, 0, 0, eperm),
                (jeq, 0, 1, numbers["shmget"]), (ret, 0, 0, eperm),
                (jeq, 1, 0, numbers["unshare"]), (jeq, 0, 3, numbers["clone"]),
                (load, 0, 0, 16), (jset, 0, 1, CLONE_NEWUSER), (ret, 0, 0, eperm),
                (ret, 0, 0, allow)]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


def seccomp_descriptor():
    """A pipe's read end holding ``seccomp_program()`` for bwrap's ``--seccomp``, or None on an unknown machine."""
    program = seccomp_program()
    if program is None:
        return None
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, program)  # a few hundred bytes: the pipe holds them
    finally:
        os.close(write_end)
    return read_end


def isolation(as_root, seccomp_fd=None):
    """The bwrap options around what the sandbox sees: (before the binds of Python and the job, after them).

    Writable is only the ``SCRATCH_BYTES`` tmpfs at /tmp, the same as root or
    as a normal user: ``/`` and ``/dev`` (bwrap's own tmpfs, owned by a
    normal user's sandbox) are remounted read-only, and the seccomp filter
    refuses new user namespaces, memfd_create and System V shared memory.
    """
    before = ["bwrap", *unshare(as_root), "--die-with-parent", "--new-session", "--clearenv", *_system_binds(),
              "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(SCRATCH_BYTES), "--tmpfs", "/tmp"]
    if seccomp_fd is not None:
        before += ["--seccomp", str(seccomp_fd)]
    return before, ["--remount-ro", "/dev", "--remount-ro", "/"]


def command(job, result_fd, as_root, seccomp_fd=None):
    """The bwrap command line that runs the worker on ``job`` (a folder holding katas/, grader/, request.json)."""
    argv, after = isolation(as_root, seccomp_fd)
    # The scratch /tmp is mounted first: a Python installed below /tmp (a checkout there, with its .venv)
    # is then bound on top of it, not hidden by it.
    made = set()
    for path in python_paths():
        for parent in reversed(Path(path).parents[:-1]):  # the folders above it: readable, not just root's
            if str(parent) not in made:
                made.add(str(parent))
                argv += ["--perms", "0755", "--dir", str(parent)]
        argv += ["--ro-bind", path, path]
    argv += ["--ro-bind", str(job), "/job", "--chdir", "/tmp", *after]
    for name, value in environment().items():
        argv += ["--setenv", name, value]
    if as_root:
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return argv + ["--", interpreter(), "-I", "-B", "/job/grader/worker.py", "/job/request.json", str(result_fd)]


def environment():
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TORCHINDUCTOR_COMPILE_THREADS": "1",
            "TORCHINDUCTOR_CPP_CACHE_PRECOMPILE_HEADERS": "0",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}


def own_task_count():
    """How many tasks (threads included) this user runs now, as RLIMIT_NPROC counts them."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1").strip())
    return count


def run_as_root():
    return os.getuid() == 0


_UIDS_TAKEN, _UIDS_LOCK = set(), threading.Lock()


def sandbox_uid():
    """A user id of this run's own, for a worker started as root; give it back with ``release_uid``.

    Never one that another sandbox of this process holds: forks graded at
    once (a class) must not share a process limit.
    """
    with _UIDS_LOCK:
        while True:
            uid = random.randint(3_000_000, 3_900_000)
            if uid not in _UIDS_TAKEN:
                _UIDS_TAKEN.add(uid)
                return uid


def release_uid(uid):
    """The sandbox that ran as ``uid`` (``sandbox_uid``'s, or None) is gone: its id may be drawn again."""
    with _UIDS_LOCK:
        _UIDS_TAKEN.discard(uid)


def _limits(max_processes):
    def apply():
        for limit, value in ((resource.RLIMIT_AS, ADDRESS_SPACE_BYTES), (resource.RLIMIT_FSIZE, FILE_BYTES),
                             (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, OPEN_FILES)):
            hard = resource.getrlimit(limit)[1]
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (value, value))
        if max_processes:
            resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
    return apply


def prepare_job(job, request_text):
    """Lay out ``job``: the kata copy, the grader's three files, the request; all readable by the sandbox's user."""
    job = Path(job)
    (job / "grader").mkdir(parents=True)
    for name in GRADER_FILES:
        shutil.copyfile(Path(__file__).with_name(name), job / "grader" / name)
    (job / "request.json").write_text(request_text, encoding="utf-8")
    os.chmod(job, 0o755)
    for path in job.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def start(job, result_fd):
    """Start the sandbox on ``job``; returns the Popen.

    Its stdout and stderr are thrown away (KATA_SANDBOX_STDERR=1 shows the
    worker's stderr, for a maintainer debugging the sandbox).
    """
    as_root = run_as_root()
    max_processes = None if as_root else own_task_count() + EXTRA_PROCESSES
    seccomp_fd = seccomp_descriptor()
    try:
        return subprocess.Popen(command(job, result_fd, as_root, seccomp_fd), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                pass_fds=(result_fd,) if seccomp_fd is None else (result_fd, seccomp_fd),
                                stderr=None if os.environ.get("KATA_SANDBOX_STDERR") == "1" else subprocess.DEVNULL,
                                preexec_fn=_limits(max_processes), start_new_session=True,
                                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    finally:
        if seccomp_fd is not None:
            os.close(seccomp_fd)


def check():
    """Raise ``Unavailable`` unless bubblewrap can start a sandbox with the namespaces grading needs."""
    if shutil.which("bwrap") is None:
        raise Unavailable(
            "bubblewrap (bwrap) is not installed, and grading runs student code only inside it: "
            "install it (Debian/Ubuntu: sudo apt-get install bubblewrap). On macOS or Windows, grade in "
            "a Linux container or on a Linux CI runner")
    before, after = isolation(run_as_root())
    probe = [*before, *after, "--", "/bin/sh", "-c", "exit 0"]
    try:
        completed = subprocess.run(probe, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unavailable(f"bubblewrap could not start: {error}") from None
    if completed.returncode != 0:
        raise Unavailable(
            "bubblewrap is installed but cannot create its namespaces here "
            f"({completed.stderr.strip()[:300] or 'exit status ' + str(completed.returncode)}). "
            "Unprivileged user namespaces must be allowed: on Ubuntu 24.04, "
            "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0; in a container, run it with "
            "--security-opt seccomp=unconfined or grade on the host")
