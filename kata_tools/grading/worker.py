"""The worker: runs inside the sandbox, imports the student's chapters, runs the judge's probes on them.

    python -I -B worker.py REQUEST RESULT_FD

REQUEST is the judge's JSON (``wire`` format): per chapter, the probe runs
to make and their inputs. The worker imports torch once, then for each
chapter writes {"started": "package/label"} to RESULT_FD and forks a child
that imports ``<package>.<chapter module>`` and runs the probes; the child
writes one JSON line, {"key": "package/label", "results": {run id:
{"outputs": ...} or {"error": ...}}}. After each chapter
(finished, crashed, or past its time) every other process in the sandbox is
killed, so nothing a chapter started can touch the next one.

Nothing here decides a point: the judge reads these lines as untrusted data
and compares them with the reference, which it computes itself.
"""

import os
import resource
import signal
import sys
import time
import traceback

GRADER = os.path.dirname(os.path.abspath(__file__))


def drop_privileges(request):
    """As root (with only CAP_SETUID/CAP_SETGID in the sandbox), become a user of this run's own."""
    uid = request.get("uid")
    if uid is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)  # drops every capability
    limit = request.get("max_processes")
    if limit:
        resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))


def run_chapter(chapter, result_fd):
    """In the forked child: import the chapter, run its probes, write one line."""
    import probes
    import torch
    import wire

    resource.setrlimit(resource.RLIMIT_CPU, (chapter["cpu_seconds"], chapter["cpu_seconds"] + 5))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    results = {}
    try:
        module = __import__(f"{chapter['package']}.{chapter['module']}", fromlist=["_"])
    except BaseException as error:  # noqa: BLE001 - a kata that does not import fails every check, with the reason
        message = (f"importing katas/{chapter['module']}.py failed: "
                   f"{type(error).__name__[:200]}: {str(error)[:1500]}")
        results = {run["id"]: {"error": message[:2000]} for run in chapter["runs"]}
        module = None
    for run in chapter["runs"] if module is not None else []:
        try:
            with torch.random.fork_rng():
                arguments = wire.decode(run["arguments"], tensors=True, limits=wire.TRUSTED)
                outputs = probes.run(module, run["probe"], arguments)
            results[run["id"]] = {"outputs": wire.encode(outputs)}
        except BaseException as error:  # noqa: BLE001 - the student's exception is a failed check, never a crash
            frames = traceback.extract_tb(error.__traceback__)
            where = next((f"{frame.filename[len('/job/'):]}:{frame.lineno}" for frame in reversed(frames)
                          if frame.filename.startswith("/job/") and not frame.filename.startswith("/job/grader/")),
                         "")
            results[run["id"]] = {"error": f"{type(error).__name__[:200]}: {str(error)[:1500]}"
                                           + (f" (at {where})" if where else "")}
    line = (wire.encode({"key": chapter["key"], "results": results}) + "\n").encode("utf-8")
    view = memoryview(line)
    while view:
        view = view[os.write(result_fd, view):]


def kill_everyone_else():
    """Kill every process of this sandbox but this one (its PID namespace holds nothing else)."""
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            if os.waitpid(-1, 0)[0] == 0:
                break
        except ChildProcessError:
            break


def fork():
    """os.fork, waiting a little while the processes a chapter left behind are still being reaped."""
    for _ in range(100):
        try:
            return os.fork()
        except BlockingIOError:
            time.sleep(0.05)
    return os.fork()


def main():
    request_path, result_fd = sys.argv[1], int(sys.argv[2])
    if os.getpid() > 8:  # bwrap's init is PID 1 of the sandbox's namespace, this worker comes right after
        sys.exit("the worker runs only inside the grading sandbox (its own PID namespace)")
    with open(request_path, encoding="utf-8") as file:
        text = file.read()
    sys.path.insert(0, GRADER)
    import wire

    request = wire.decode(text, limits=wire.TRUSTED)  # the judge's own
    drop_privileges(request)
    sys.path.insert(0, request["katas_parent"])
    import torch  # once, before any fork: every chapter's child starts with it imported

    torch.set_num_threads(1)
    import probes

    probes.warm_up()
    for chapter in request["chapters"]:
        os.write(result_fd, (wire.encode({"started": chapter["key"]}) + "\n").encode("utf-8"))
        child = fork()
        if child == 0:
            try:
                os.setpgid(0, 0)
                run_chapter(chapter, result_fd)
            finally:
                os._exit(0)
        deadline = time.monotonic() + chapter["wall_seconds"]
        while time.monotonic() < deadline:
            if os.waitpid(child, os.WNOHANG)[0] == child:
                break
            time.sleep(0.02)
        kill_everyone_else()
    os.write(result_fd, b'{"done": true}\n')


if __name__ == "__main__":
    main()
