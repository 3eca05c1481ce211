"""The chapters as notebooks (Colab, Jupyter, VS Code): the ``%%kata`` cell magic and the set-up.

Every chapter has a notebook, ``notebooks/chapterNN_<name>.ipynb``, generated from its kata's stubs
by ``make notebooks`` (kata_tools/dev/notebooks.py). Its set-up cell finds the checkout the notebook
lives in, or in Colab clones the learner's fork, then calls ``setup()``: it installs into the
kernel's Python only the packages it lacks (never torch, never a venv: the kernel's torch is the one
used, CUDA on a Colab GPU), fetches the corpus when it is missing and registers the magic.

    %%kata 06 scale_scores
    def scale_scores(scores, head_size):
        ...

writes that definition into ``katas/chapter06_attention_head.py`` in place of the top-level
definition of the same name (the kata file stays the one source of truth for make, VS Code and
grading), runs the cell in the kernel too, so that the next cell can try it, then runs
``make chapter06``'s gate (``python -m kata_tools.learner.gate 06``) in a fresh Python process, never
a stale import, and shows its output. ``%%kata 06`` without a name only runs the cell in the
kernel: the chapter's given code, its imports (the relative ones included) read the kata files as
they are on disk now.

A cell that does not parse, or that defines another name, is refused with one line and changes
nothing.
"""

import ast
import difflib
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RUNNER_VARIABLE = "KATA_RUNNER"  # how the learner runs things; the messages name the way (make, kata, notebook)
RUNNER = "notebook"
PACKAGE = "katas"

# What a chapter's tests and make train import besides torch: (module, what pip installs when it is missing).
# The same packages as requirements.txt (checks/test_notebooks.py keeps them in step); the versions
# a kernel already has are kept.
LEARNER_PACKAGES = (
    ("numpy", "numpy"),
    ("pytest", "pytest>=8"),
    ("pytest_timeout", "pytest-timeout"),
    ("torchinfo", "torchinfo"),
    ("tqdm", "tqdm"),
    ("wcwidth", "wcwidth"),
    ("matplotlib", "matplotlib"),
    *((("tomli", "tomli"),) if sys.version_info < (3, 11) else ()),
)


class Refused(Exception):
    """A cell the magic will not write: its message is the one line the learner reads."""


def _t(key, **values):
    """A message in the learner's language (kata_tools.i18n)."""
    from kata_tools.i18n import t

    return t(key, **values)


# ---------------------------------------------------------------- a definition into its kata file
def _first_line(node):
    """A definition's first line, its decorators included (1-based)."""
    return min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])


def _definitions(tree):
    return [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]


def definition_source(code, name, first_line=1):
    """The lines of ``code`` (a cell) that define ``name``, and whether the cell holds anything else.

    Raises Refused when the cell does not parse, or does not define exactly ``name`` at its top level.
    ``first_line``: the number the cell shows for the first line of ``code`` (2 below a ``%%kata`` line).
    """
    try:
        tree = ast.parse(code, "<cell>")
    except SyntaxError as error:
        line = (error.lineno or 1) + first_line - 1
        raise Refused(_t("notebook.syntax", line=line, message=error.msg)) from None
    found = _definitions(tree)
    others = [node.name for node in found if node.name != name]
    if others:
        raise Refused(_t("notebook.other_name", name=name, other=others[0]))
    mine = [node for node in found if node.name == name]
    if len(mine) != 1:
        raise Refused(_t("notebook.no_definition", name=name))
    node = mine[0]
    lines = code.splitlines(keepends=True)
    text = "".join(lines[_first_line(node) - 1: node.end_lineno])
    return text if text.endswith("\n") else text + "\n", len(tree.body) > 1


def replace_definition(text, name, definition, path="<kata>"):
    """``text`` (a kata file) with its top-level definition ``name`` replaced by ``definition``.

    Raises Refused when the kata file does not parse or has no such definition.
    """
    try:
        tree = ast.parse(text, str(path))
    except SyntaxError as error:
        raise Refused(_t("notebook.kata_syntax", path=path, line=error.lineno or 0, message=error.msg)) from None
    node = next((node for node in _definitions(tree) if node.name == name), None)
    if node is None:
        raise Refused(_t("notebook.not_in_kata", name=name, path=path))
    lines = text.splitlines(keepends=True)
    return "".join(lines[: _first_line(node) - 1]) + definition + "".join(lines[node.end_lineno:])


def write_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file beside it: never a half-written kata."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_step(entry, name, code, first_line=2):
    """Write the cell's definition of ``name`` into ``entry``'s kata file; returns (path, cell holds more)."""
    from kata_tools.learner.state import chapter_functions, kata_path, relative

    steps = list(dict.fromkeys(function.split(".")[0] for function in chapter_functions(entry)))
    if name not in steps:  # a mistyped %%kata line, not a kata file to restore
        close = difflib.get_close_matches(name, steps, n=3, cutoff=0.5)
        raise Refused(_t("notebook.no_step", label=entry.label, name=name, steps=", ".join(close or steps)))
    definition, more = definition_source(code, name, first_line)
    path = kata_path(entry)
    shown = relative(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Refused(_t("notebook.no_kata", path=shown)) from None
    updated = replace_definition(text, name, definition, shown)
    if updated != text:
        write_atomically(path, updated)
    return shown, more


# ---------------------------------------------------------------- running: in the kernel, then the gate
def forget_katas(package=PACKAGE):
    """Drop the kata modules the kernel imported, so that the next import reads the files as they are now."""
    for module in [module for module in sys.modules if module == package or module.startswith(package + ".")]:
        del sys.modules[module]
    importlib.invalidate_caches()


def run_in_kernel(shell, code, package=PACKAGE):
    """Run ``code`` in the kernel's namespace as if it were in ``package`` (its relative imports work there).

    Returns False, with the traceback shown, when it raised.
    """
    forget_katas(package)
    namespace = shell.user_ns
    missing = object()
    saved = namespace.get("__package__", missing)
    namespace["__package__"] = package
    try:
        exec(compile(code, "<cell>", "exec"), namespace)
    except Exception:
        shell.showtraceback()
        return False
    finally:
        if saved is missing:
            namespace.pop("__package__", None)
        else:
            namespace["__package__"] = saved
    return True


def gate_command(entry):
    return [sys.executable, "-m", "kata_tools.learner.gate", entry.label]


def run_shown(command, environment=None):
    """Run ``command`` in the checkout, showing its output in the cell line by line; returns its exit code.

    A notebook shows what the kernel prints, not what a child process writes to its own stdout.
    """
    from kata_tools.chapters import REPO_ROOT

    environment = {**(os.environ if environment is None else environment), "PYTHONUNBUFFERED": "1",
                   "PYTHONIOENCODING": "utf-8"}  # read back as UTF-8 below, whatever the platform's default
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
        return process.wait()
    except KeyboardInterrupt:  # the stop button: end the command, keep the kernel
        process.terminate()
        process.wait()
        return 130
    finally:
        process.stdout.close()


def run_gate(entry):
    """Run the chapter's gate (``make chapterNN``) in a fresh process, its output shown; returns its exit code."""
    return run_shown(gate_command(entry), {**os.environ, RUNNER_VARIABLE: RUNNER})


def kata(line, cell):
    """The ``%%kata NN [name]`` cell magic (see the module's docstring)."""
    from IPython import get_ipython

    from kata_tools.chapters import chapter

    words = line.split()
    if not words or len(words) > 2:
        print(_t("notebook.usage"), file=sys.stderr)
        return
    try:
        entry = chapter(words[0].removeprefix("chapter"))
    except ValueError:
        print(_t("bad_chapter", value=words[0]), file=sys.stderr)
        return
    from kata_tools.implementation import package_name

    shell, package = get_ipython(), package_name()
    if len(words) == 1:
        run_in_kernel(shell, cell, package)
        return
    name = words[1]
    try:
        path, more = write_step(entry, name, cell)
    except Refused as refusal:
        print(refusal, file=sys.stderr)
        return
    print(_t("notebook.wrote", name=name, path=path), flush=True)
    if more:
        print(_t("notebook.only_definition", name=name), flush=True)
    run_in_kernel(shell, cell, package)
    run_gate(entry)


def load_ipython_extension(ipython):
    """``%load_ext kata_tools.learner.notebook``: registers ``%%kata``."""
    ipython.register_magic_function(kata, magic_kind="cell", magic_name="kata")


# ---------------------------------------------------------------- the set-up cell's second half
def missing_packages(packages=LEARNER_PACKAGES):
    """What pip should install: the requirements of ``packages`` whose module this Python cannot import."""
    return [requirement for module, requirement in packages if importlib.util.find_spec(module) is None]


def install_missing(packages=LEARNER_PACKAGES):
    """pip-install, into the kernel's own Python, only what it lacks; True when nothing is missing after."""
    missing = missing_packages(packages)
    if not missing:
        return True
    if importlib.util.find_spec("pip") is None:
        print(_t("notebook.no_pip", packages=" ".join(missing)), file=sys.stderr)
        return False
    print(_t("notebook.installing", packages=" ".join(missing)), flush=True)
    code = run_shown([sys.executable, "-m", "pip", "install", "--quiet", *missing])
    importlib.invalidate_caches()
    if code != 0:
        print(_t("notebook.install_failed", packages=" ".join(missing)), file=sys.stderr)
        return False
    return True


def fetch_corpus():
    """``python -m data.tinyshakespeare`` when ``data/input.txt`` is missing; True when it is there after."""
    from kata_tools.chapters import REPO_ROOT

    if (REPO_ROOT / "data" / "input.txt").is_file():
        return True
    return run_shown([sys.executable, "-m", "data.tinyshakespeare"]) == 0


def kernel_python_first(environment=None):
    """Make ``python`` in a ``!`` cell this kernel's Python, as the messages' ``!python -m kata_tools`` needs.

    In Colab it already is. A Jupyter kernel of a virtual environment that was never activated finds
    another ``python`` on PATH (one without torch, or without the course): then the kernel's folder
    goes first on ``environment``'s PATH (default: ``os.environ``). Returns True when PATH changed.
    """
    environment = os.environ if environment is None else environment
    found = shutil.which("python", path=environment.get("PATH"))
    if found:
        try:
            prefix = subprocess.run([found, "-c", "import sys; print(sys.prefix)"], capture_output=True,
                                    text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            prefix = None
        if prefix and os.path.realpath(prefix) == os.path.realpath(sys.prefix):
            return False
    folder = os.path.dirname(sys.executable)
    if not shutil.which("python", path=folder):
        return False  # no `python` beside the kernel's: nothing on PATH would help
    environment["PATH"] = folder + os.pathsep + environment.get("PATH", "")
    return True


def setup():
    """Everything the set-up cell does once the checkout is on ``sys.path``: packages, corpus, the magic.

    torch is never installed: without one, it says so in one line and stops.
    """
    if importlib.util.find_spec("torch") is None:
        print(_t("notebook.no_torch"), file=sys.stderr)
        return False
    ready = install_missing() and fetch_corpus()
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        load_ipython_extension(shell)
        os.environ[RUNNER_VARIABLE] = RUNNER  # a `!python -m kata_tools hint` cell speaks the notebook's way too
        kernel_python_first()
    if ready:
        import torch

        from kata_tools.chapters import REPO_ROOT

        device = "cuda" if torch.cuda.is_available() else "cpu"
        print(_t("notebook.ready", root=REPO_ROOT, torch=torch.__version__, device=device), flush=True)
    return ready
