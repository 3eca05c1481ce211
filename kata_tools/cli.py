"""The front door: every command of the course, with or without make.

    kata chapter06 [--test NAME] [--tb long]     test one chapter (also chapter6, 06, 6)
    kata next | watch | hint | progress | map     the learner's tools
    kata solution 06 [--yes]   kata reset 06 [--yes]
    kata train [--steps N] [--recipe R]           kata generate [--prompt P] [--seed S]
    kata grade | test | data | katas | ...        the maintainers' tools
    kata                                          the list, in the learner's language

``kata`` is the console script (``pip install -e .``); ``python -m kata_tools`` is the same
thing from a checkout with nothing installed; every Makefile target is a one-line call of
it. Each command hands its options to the tool that does the work (kata_tools.learner,
training, grading, dev), under the same names as make's variables: ``TEST=x`` is
``--test x``, ``CONFIRM=yes`` is ``--yes`` (or ``--confirm yes``), ``CHAPTER=06`` is
``06`` (or ``--chapter 06``). ``--impl reference`` and ``--lang ja`` set KATA_IMPL and
KATA_LANG for any command.

Only the standard library is imported before a command runs, so that a Python without
the course's packages can still find the checkout's .venv and run the command there.
"""

import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from .runner import RUNNER_VARIABLE, runner, venv_python

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV = REPO_ROOT / ".venv"
CORPUS = REPO_ROOT / "data" / "input.txt"
NEEDED = ("torch", "pytest")  # what every command needs, but these:
STANDARD_LIBRARY_ONLY = ("help", "-h", "--help", "clean")


@dataclass(frozen=True)
class Command:
    name: str
    group: str  # "learn" or "maintain": where the help lists it
    corpus: bool = False  # fetch data/input.txt first, as the Makefile's targets do


def _call(module, function="main"):
    return getattr(importlib.import_module(module), function)


# ---------------------------------------------------------------- the commands
def run_chapter(label, arguments):
    from kata_tools.learner.gate import main

    return main([label, *arguments])


def _learner(name):
    def run(arguments):
        return _call("kata_tools.learner.cli")([name, *arguments])
    return run


def _module(module, *fixed):
    def run(arguments):
        return _call(module)([*fixed, *arguments])
    return run


def run_test(arguments):
    """The repository's own check: the reference passes, every stub fails (``make test``)."""
    environment = {**os.environ, "KATA_IMPL": "reference"}
    command = [sys.executable, "-m", "pytest", "tests", "checks", "-n", "2", "-p", "no:cacheprovider", *arguments]
    return subprocess.run(command, cwd=REPO_ROOT, env=environment).returncode


def run_curriculum(arguments):
    code = _call("kata_tools.dev.curriculum")(list(arguments))
    return code or _call("kata_tools.dev.steps")([])


def run_lint(arguments):
    if subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True).returncode != 0:
        installed = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "ruff"])
        if installed.returncode != 0:
            return installed.returncode
    return subprocess.run([sys.executable, "-m", "ruff", "check", ".", *arguments], cwd=REPO_ROOT).returncode


def _script(name):
    """A console script installed beside this Python (``bin/`` or ``Scripts\\``), else on the PATH."""
    return shutil.which(name, path=sysconfig.get_path("scripts")) or shutil.which(name) or name


def run_lint_workflows(arguments):
    workflows = sorted(str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / ".github" / "workflows").glob("*.yml"))
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                              "vendor.github-workflows", *workflows], cwd=REPO_ROOT)
    if checked.returncode != 0:
        return checked.returncode
    return subprocess.run([_script("zizmor"), "--offline", ".github/workflows", *arguments], cwd=REPO_ROOT).returncode


def run_clean(arguments):
    """Remove caches and build folders (not .venv, .kata/ or runs/)."""
    for name in (".pytest_cache", ".tox", "build"):
        shutil.rmtree(REPO_ROOT / name, ignore_errors=True)
    for folder, subfolders, _ in os.walk(REPO_ROOT):
        if Path(folder) == REPO_ROOT:
            subfolders[:] = [name for name in subfolders if name not in (".venv", ".git")]
        if "__pycache__" in subfolders:
            shutil.rmtree(Path(folder) / "__pycache__", ignore_errors=True)
            subfolders.remove("__pycache__")
    return 0


COMMANDS = {command.name: (command, run) for command, run in (
    (Command("progress", "learn", corpus=True), _learner("progress")),
    (Command("next", "learn", corpus=True), _learner("next")),
    (Command("watch", "learn", corpus=True), _learner("watch")),
    (Command("hint", "learn", corpus=True), _learner("hint")),
    (Command("solution", "learn", corpus=True), _learner("solution")),
    (Command("reset", "learn"), _learner("reset")),
    (Command("map", "learn", corpus=True), _learner("map")),
    (Command("train", "learn", corpus=True), _module("kata_tools.training.train")),
    (Command("generate", "learn", corpus=True), _module("kata_tools.training.generate")),
    (Command("bench", "learn", corpus=True), _module("kata_tools.training.bench")),
    (Command("test", "maintain", corpus=True), run_test),
    (Command("grade", "maintain"), _module("kata_tools.grading.grade")),
    (Command("grade-class", "maintain"), _module("kata_tools.grading.classroom", "class")),
    (Command("bench-grade", "maintain"), _module("kata_tools.grading.bench")),
    (Command("manifest", "maintain"), _module("kata_tools.grading.manifest")),
    (Command("katas", "maintain"), _module("kata_tools.dev.katagen")),
    (Command("notebooks", "maintain"), _module("kata_tools.dev.notebooks")),
    (Command("messages", "maintain"), _module("kata_tools.dev.messages")),
    (Command("requirements", "maintain"), _module("kata_tools.dev.requirements")),
    (Command("curriculum", "maintain"), run_curriculum),
    (Command("bench-gate", "maintain", corpus=True), _module("kata_tools.dev.bench_gate")),
    (Command("bench-watch", "maintain", corpus=True), _module("kata_tools.dev.bench_watch")),
    (Command("mistakes", "maintain", corpus=True), _module("kata_tools.dev.mistakes")),
    (Command("alternatives", "maintain", corpus=True), _module("kata_tools.dev.mistakes", "--alternatives")),
    (Command("gallery-readme", "maintain", corpus=True), _module("kata_tools.dev.mistakes", "--readme")),
    (Command("lint", "maintain"), run_lint),
    (Command("lint-workflows", "maintain"), run_lint_workflows),
    (Command("data", "maintain"), _module("data.tinyshakespeare")),
    (Command("clean", "maintain"), run_clean),
)}

# chapter06, chapter6, 06, 6, and "chapter 06" as two words
_CHAPTER = re.compile(r"(?:chapter)?(\d{1,3})", re.IGNORECASE)


# ---------------------------------------------------------------- the help listing
def _option(key, value):
    """One option as the runner writes it in the help: TEST=name under make, --test name otherwise."""
    from .runner import MAKE_VARIABLES

    if runner() == "make":
        return f"{MAKE_VARIABLES[key]}={value}"
    if key == "confirm":
        return "--yes"
    return f"--{key.replace('_', '-')} {value}".rstrip()


def help_lines():
    """The list of commands, grouped Learn / Maintain, in the learner's language and the runner's words."""
    from .chapters import FIRST, LAST
    from .i18n import display_width, pad, t
    from .runner import command

    o = _option
    learn = [
        (f"{command('chapter' + FIRST.label)} .. {command('chapter' + LAST.label)}",
         t("help.chapter", test=o("test", "name"), tb=o("tb", "long"))),
        (command("progress"), t("help.progress")),
        (command("next"), t("help.next")),
        (command("watch"), t("help.watch")),
        (command("hint"), t("help.hint", chapter=o("chapter", "06"))),
        (command("solution", chapter="06"), t("help.solution", label="06", confirm=o("confirm", "yes"))),
        (command("reset", chapter="06"), t("help.reset", label="06")),
        (command("map"), t("help.map")),
        (command("train"), t("help.train", options=", ".join(
            [o("steps", "N"), o("recipe", "tutorial"), o("device", "auto|cpu|cuda|mps")]))),
        (command("generate"), t("help.generate", options=" ".join(
            [o("prompt", '"ROMEO:"'), o("length", "500"), o("seed", "N"), o("checkpoint", "PATH"),
             o("device", "cpu")]))),
        (command("bench"), t("help.bench")),
    ]
    maintain = [
        (command("test"), t("help.test")),
        (command("grade"), t("help.grade", min_score=o("min_score", "N"), output_dir=o("output_dir", "DIR"))),
        (command("grade", fork="path/to/clone"), t("help.grade_fork")),
        (command("grade-class", roster="roster.csv", out="folder"), t("help.grade_class", jobs=o("jobs", "N"),
                                                                        shard=o("shard", "K/N"))),
        (command("bench-grade"), t("help.bench_grade", count=o("class", "8"))),
        (command("manifest"), t("help.manifest")),
        (command("katas"), t("help.katas")),
        (command("notebooks"), t("help.notebooks")),
        (command("messages"), t("help.messages")),
        (command("requirements"), t("help.requirements")),
        (command("curriculum"), t("help.curriculum")),
        (command("bench-gate"), t("help.bench_gate", chapters=o("chapters", "all|00,06"))),
        (command("bench-watch"), t("help.bench_watch", chapters=o("chapters", "05,11,12"))),
        (command("mistakes"), t("help.mistakes")),
        (command("alternatives"), t("help.alternatives")),
        (command("gallery-readme"), t("help.gallery_readme")),
        (command("lint"), t("help.lint")),
        (command("lint-workflows"), t("help.lint_workflows")),
        (command("data"), t("help.data", source=o("source", "PATH|URL"))),
        (command("clean"), t("help.clean")),
    ]
    if runner() == "make":
        maintain.append(("make setup", t("help.setup")))
        maintain.append(("make setup USE_SYSTEM_TORCH=yes", t("help.setup_system_torch")))
        maintain.append(("make setup-dev", t("help.setup_dev")))
    width = min(36, max(display_width(usage) for usage, _ in learn + maintain))
    lines = []
    for heading, entries in ((t("help.learn"), learn), (t("help.maintain"), maintain)):
        lines.append(heading)
        for usage, text in entries:
            if display_width(usage) > width:
                lines += [f"  {usage}", f"  {pad('', width)}  {text}"]
            else:
                lines.append(f"  {pad(usage, width)}  {text}")
        lines.append("")
    return lines[:-1]


def show_help():
    for line in help_lines():
        print(line)
    return 0


# ---------------------------------------------------------------- set-up around a command
def _missing():
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def _venv_handoff(argv):
    """Run the command with the checkout's .venv Python when this Python lacks the course's packages.

    Returns its exit status, or None to run here. ``python -m kata_tools`` from a plain Python
    (``py -m kata_tools`` on Windows) then behaves as ``.venv/bin/python -m kata_tools``.
    """
    missing = _missing()
    if not missing:
        return None
    python = venv_python(VENV)
    here = Path(sys.prefix).resolve()
    if python.exists() and here != VENV.resolve():
        return subprocess.run([str(python), "-m", "kata_tools", *argv], cwd=os.getcwd()).returncode
    try:
        from .i18n import t

        message = t("cli.no_environment", python=sys.executable, missing=", ".join(missing))
    except Exception:  # the catalogue needs the course's packages too: say it in English
        message = (f"{sys.executable} has no {', '.join(missing)}, and this checkout has no .venv: set it up first "
                   "(make setup; without make, the README's \"On Windows\")")
    print(message, file=sys.stderr)
    return 2


def _ensure_corpus():
    """Fetch data/input.txt when it is missing, as the Makefile's targets do; the exit status of that."""
    if CORPUS.exists():
        return 0
    from data.tinyshakespeare import main

    return main([])


def _take_option(argv, name):
    """Remove ``--name VALUE`` or ``--name=VALUE`` from ``argv``; the value, or None."""
    value = None
    for index, word in enumerate(argv):
        if word == f"--{name}" and index + 1 < len(argv):
            value = argv[index + 1]
            del argv[index:index + 2]
            break
        if word.startswith(f"--{name}="):
            value = word.split("=", 1)[1]
            del argv[index]
            break
    return value


def dispatch(argv):
    """Run the command ``argv`` names; its exit status."""
    if not argv or argv[0] in ("help", "-h", "--help"):
        return show_help()
    name, rest = argv[0], argv[1:]
    found = _CHAPTER.fullmatch(name)
    if name.lower() == "chapter" and rest:
        found, rest = _CHAPTER.fullmatch(rest[0]), rest[1:]
    if found:
        code = _ensure_corpus()
        return code or run_chapter(found.group(1), rest)
    if name not in COMMANDS:
        from .i18n import t
        from .runner import command

        print(t("cli.unknown", name=name, help=command("help") if runner() != "make" else "make"), file=sys.stderr)
        return 2
    entry, run = COMMANDS[name]
    if entry.corpus:
        code = _ensure_corpus()
        if code:
            return code
    return run(rest)


def main(argv=None, runner_name="kata"):
    """The front door; ``runner_name`` is how it was started ("kata", or "python" for ``python -m kata_tools``).

    Returns the command's exit status (0 when it succeeded).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault(RUNNER_VARIABLE, runner_name)  # the processes it starts (pytest, .venv's) speak the same way
    handed_off = None if argv[:1] in ([], *([name] for name in STANDARD_LIBRARY_ONLY)) else _venv_handoff(argv)
    if handed_off is not None:
        return handed_off
    for name, variable in (("impl", "KATA_IMPL"), ("lang", "KATA_LANG")):
        value = _take_option(argv, name)
        if value is not None:
            os.environ[variable] = value
    if str(REPO_ROOT) not in sys.path:  # data.tinyshakespeare, when kata runs outside the checkout
        sys.path.insert(0, str(REPO_ROOT))
    from kata_tools.learner.cli import run

    return run(dispatch, argv)
