"""How the learner runs the tools, and each command written the way they type it.

Every message that tells the learner what to run next names it through ``command``,
so that it reads the way they work:

    make       make chapter06 TEST=test_shape        (the Makefile sets KATA_RUNNER=make)
    kata       kata chapter06 --test test_shape      (the console script, after pip install -e .)
    python     python -m kata_tools chapter06 --test test_shape   (the default: a checkout, no install)
    notebook   the cells of notebooks/chapter06_attention_head.ipynb   (the notebooks set KATA_RUNNER=notebook)

``KATA_RUNNER`` names the runner; the front door (kata_tools.cli) sets it when it is
not set, so the pytest runs it starts speak the same way.

    command("chapter06", test="test_shape")         -> "make chapter06 TEST=test_shape"
    command("solution", chapter="06", confirm="yes") -> "kata solution 06 --yes"
    command("map", impl="reference")                -> "KATA_IMPL=reference make map"

It also knows where a virtual environment keeps its Python (``bin/python``, or
``Scripts\\python.exe`` on Windows): ``venv_python``.
"""

import os
import re
from pathlib import Path

RUNNER_VARIABLE = "KATA_RUNNER"
RUNNERS = ("make", "kata", "python", "notebook")
DEFAULT_RUNNER = "python"
PYTHON_COMMAND = "python -m kata_tools"

# An option's make variable; its flag is --name (underscores as dashes). Order: as they are written.
MAKE_VARIABLES = {
    "chapter": "CHAPTER", "test": "TEST", "tb": "TB", "level": "LEVEL", "confirm": "CONFIRM", "depth": "DEPTH",
    "steps": "STEPS", "recipe": "RECIPE", "prompt": "PROMPT", "length": "LENGTH", "seed": "SEED",
    "device": "DEVICE", "checkpoint": "CHECKPOINT", "fork": "FORK", "min_score": "MIN_SCORE",
    "source": "TINYSHAKESPEARE_SOURCE", "chapters": "CHAPTERS_TO_BENCH", "output_dir": "OUTPUT_DIR",
    "roster": "ROSTER", "out": "OUT", "jobs": "JOBS", "shard": "SHARD", "class": "CLASS",
}
# Options that go before the command, as environment variables, under make.
ENVIRONMENT_OPTIONS = {"impl": "KATA_IMPL", "lang": "KATA_LANG"}
_PLAIN = re.compile(r"[\w./\\-]*")
_CHAPTER_COMMAND = re.compile(r"chapter(\d\d)$")


def runner(environment=None):
    """"make", "kata", "python" or "notebook": KATA_RUNNER, else "python" (``python -m kata_tools``)."""
    environment = os.environ if environment is None else environment
    value = (environment.get(RUNNER_VARIABLE) or "").strip().lower()
    if value in RUNNERS:
        return value
    if value.startswith("python"):  # "python -m kata_tools", as written
        return "python"
    return DEFAULT_RUNNER


def _quoted(value):
    value = str(value)
    if value and _PLAIN.fullmatch(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def command(name, runner_name=None, **options):
    """``name`` with ``options`` as the learner types it for ``runner_name`` (default: ``runner()``).

    ``name``: a command of the front door, e.g. "chapter06", "hint", "generate". ``options``: its
    options by their lower-case names (test="x", chapter="06", confirm="yes", impl="reference");
    None or "" leaves one out. Raises KeyError for an option with no make variable.
    """
    used = runner_name or runner()
    options = {key: value for key, value in options.items() if value not in (None, "")}
    if used == "notebook":
        found = _CHAPTER_COMMAND.fullmatch(name)
        if found and not options:  # a notebook runs a chapter's tests from its step cells: no test cell to name
            from .chapters import chapter
            from .i18n import t

            return t("runner.notebook_cells", notebook=f"notebooks/{chapter(found.group(1)).module}.ipynb")
        return "!" + command(name, "python", **options)
    environment = [f"{ENVIRONMENT_OPTIONS[key]}={_quoted(options.pop(key))}"
                   for key in list(options) if key in ENVIRONMENT_OPTIONS]
    if used == "make":
        words = [*environment, "make", name]
        words += [f"{MAKE_VARIABLES[key]}={_quoted(value)}" for key, value in options.items()]
        return " ".join(words)
    words = ["kata" if used == "kata" else PYTHON_COMMAND, name]
    if "chapter" in options:
        words.append(_quoted(options.pop("chapter")))
    for key, value in options.items():
        MAKE_VARIABLES[key]  # the same options as make's, or KeyError
        if key == "confirm" and str(value).lower() in ("1", "y", "yes", "true"):
            words.append("--yes")
        else:
            words += [f"--{key.replace('_', '-')}", _quoted(value)]
    for setting in environment:
        key, value = setting.split("=", 1)
        words += [f"--{key.removeprefix('KATA_').lower()}", value]
    return " ".join(words)


def venv_python(venv, os_name=None):
    """The Python of the virtual environment at ``venv``: ``bin/python``, or ``Scripts\\python.exe`` on Windows.

    ``os_name``: ``os.name`` unless given ("nt" is Windows).
    """
    if (os_name or os.name) == "nt":
        return Path(venv) / "Scripts" / "python.exe"
    return Path(venv) / "bin" / "python"
