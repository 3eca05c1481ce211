"""The front door: ``kata`` / ``python -m kata_tools`` carries every command, with or without make.

- every Makefile target is a one-line call of a front-door command;
- ``python -m kata_tools chapter00`` on the stubs says what ``make chapter00`` says, with the same exit status;
- every message names the command the way the learner runs it (KATA_RUNNER: make, kata, python, notebook);
- it works on Windows: the venv's ``Scripts\\python.exe``, no POSIX shell, and pytest-timeout's thread
  method still ends a hung test with the usual summary naming the loop;
- VS Code: the chapter time limit is off under a debugger or with ``--timeout=0``; coverage measures katas/.
"""

import ast
import bdb
import os
import re
import shutil
import subprocess
import sys
import types

import pytest
import torch  # noqa: F401  imported before any in-process pytester run, which would otherwise import it twice

from checks import test_failure_messages
from checks.test_learner_tools import LearnerCopy, read_jsonc
from kata_tools import cli, i18n, runner
from kata_tools.chapters import REPO_ROOT
from kata_tools.learner import state

pytest_plugins = ["pytester"]

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def makefile_text():
    """The Makefile, with each continued line (ending in a backslash) joined into one."""
    return re.sub(r"\\\n\s*", " ", (REPO_ROOT / "Makefile").read_text(encoding="utf-8"))


def makefile_targets():
    """{target: [recipe lines]} of the Makefile's rules (pattern rules by their pattern)."""
    targets, current = {}, None
    for line in makefile_text().splitlines():
        found = re.match(r"^([$()\w%.-][^:=\s]*(?: [^:=\s]+)*):(?!=)", line)
        if found and not line.startswith("\t"):
            current = []
            for name in found.group(1).split():
                targets[name] = current
        elif line.startswith("\t") and current is not None:
            current.append(line.strip())
        elif line and not line.startswith("#"):
            current = None
    return targets


# ---------------------------------------------------------------- every target, one line
# Set-up makes the environment the front door runs in; the corpus rule is what `data` does, run as a prerequisite.
NOT_FRONT_DOOR = {"setup", "setup-dev", "FORCE", "$(STAMP)", "$(DEV_STAMP)", "$(CORPUS)", ".PHONY", ".DEFAULT_GOAL"}


def test_every_makefile_target_is_one_call_of_a_front_door_command():
    targets = makefile_targets()
    phony = re.search(r"^\.PHONY:(.*)$", makefile_text(), re.M).group(1)
    names = {name for name in phony.split() if "$" not in name and "(" not in name}
    assert {"progress", "next", "train", "grade", "lint-workflows", "bench-gate", "clean"} <= names, "parsed .PHONY"
    for name in sorted(names - NOT_FRONT_DOOR):
        assert name in targets, f"{name} is in .PHONY but has no rule"
        assert name in cli.COMMANDS or name == "help", f"make {name} has no front-door command: add it to COMMANDS"
        recipe = [line.replace("$(KATA)", "$(PY) -m kata_tools") for line in targets[name]]
        assert len(recipe) == 1, f"make {name} should be one call of the front door: {recipe}"
        assert re.search(rf"-m kata_tools {re.escape(name)}(?![\w-])", recipe[0]), recipe
    chapters = targets["chapter%"]
    assert len(chapters) == 1 and "$(KATA) chapter$*" in chapters[0], chapters
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "KATA = $(PY) -m kata_tools" in text and "export KATA_RUNNER := make" in text


def test_the_help_lists_every_command_in_the_learners_language(capsys, monkeypatch):
    monkeypatch.setenv("KATA_LANG", "ja")
    monkeypatch.setenv(runner.RUNNER_VARIABLE, "kata")
    assert cli.main(["help"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("学ぶ：") and "\n保守：\n" in listed, listed
    for name in cli.COMMANDS:
        assert f"kata {name}" in listed, f"kata help does not list {name}"
    assert "kata chapter00 .. kata chapter12" in listed and "--test name" in listed and "make" not in listed


def test_the_help_needs_no_package_of_pypi(monkeypatch):
    """`make` alone lists the commands before .venv exists, with the Python that will make it."""
    monkeypatch.setitem(sys.modules, "wcwidth", None)  # import wcwidth raises ImportError
    monkeypatch.setenv("KATA_LANG", "zh")
    lines = cli.help_lines()
    assert lines[0] == "学习：" and any(line.startswith("  make progress  ") for line in lines), lines
    if sys.version_info >= (3, 11):  # 3.10 reads curriculum.toml with tomli, from PyPI
        bare = subprocess.run([sys.executable, "-S", "-m", "kata_tools"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=60, env={**os.environ, "KATA_LANG": "en", "KATA_RUNNER": "kata"})
        assert bare.returncode == 0 and "kata progress" in bare.stdout, bare.stderr  # -S: no site-packages


def test_a_chapter_is_named_every_friendly_way_and_an_unknown_command_in_one_line(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(cli, "run_chapter", lambda label, arguments: ran.append((label, arguments)) or 0)
    for argv in (["chapter06", "--test", "x"], ["chapter6", "--test", "x"], ["06", "--test", "x"],
                 ["chapter", "6", "--test", "x"]):
        assert cli.dispatch(argv) == 0
    assert [int(label) for label, _ in ran] == [6, 6, 6, 6] and all(args == ["--test", "x"] for _, args in ran)
    assert cli.dispatch(["chapterr"]) == 2
    assert capsys.readouterr().err.strip() == "there is no command chapterr: make lists them"


# ---------------------------------------------------------------- the same chapter run as make's
def summary(output):
    return output[output.index("---- your chapters ----"):].strip().splitlines()


@needs_make
def test_python_m_kata_tools_chapter00_says_what_make_chapter00_says(tmp_path):
    learner = LearnerCopy(tmp_path / "checkout")
    environment = {**learner.environment, "KATA_STATE_DIR": str(tmp_path / "front-door-state")}
    front_door = subprocess.run([sys.executable, "-m", "kata_tools", "chapter00"], cwd=learner.root,
                                env=environment, capture_output=True, text=True, timeout=120,
                                stdin=subprocess.DEVNULL)
    made = learner.make("chapter00")
    assert front_door.returncode == 1 and made.returncode != 0, (front_door.stdout[-2000:], front_door.stderr)
    assert "8 failed" in front_door.stdout
    ours, theirs = summary(front_door.stdout), summary(made.stdout)
    assert ours[-2:] == ["  write it, then run:  python -m kata_tools chapter00",
                         "stuck? python -m kata_tools hint gives a nudge"], ours
    assert theirs[-2:] == ["  write it, then run:  make chapter00", "stuck? make hint gives a nudge"], theirs
    assert ours[:-2] == theirs[:-2]


def test_the_front_door_hands_its_options_to_the_tools(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_call", lambda module: lambda argv: calls.append((module, argv)) or 0)
    monkeypatch.setattr(cli, "_ensure_corpus", lambda: 0)
    cli.dispatch(["hint", "--chapter", "06", "--level", "2"])
    cli.dispatch(["solution", "06", "--confirm", "yes"])
    cli.dispatch(["generate", "--prompt", "ROMEO:", "--seed", "7"])
    cli.dispatch(["alternatives", "06"])
    assert calls == [
        ("kata_tools.learner.cli", ["hint", "--chapter", "06", "--level", "2"]),
        ("kata_tools.learner.cli", ["solution", "06", "--confirm", "yes"]),
        ("kata_tools.training.generate", ["--prompt", "ROMEO:", "--seed", "7"]),
        ("kata_tools.dev.mistakes", ["--alternatives", "06"]),
    ]
    from kata_tools.learner import cli as learner_cli

    seen = {}
    monkeypatch.setattr("kata_tools.learner.hints.show_hint", lambda chapter, level: seen.update(hint=(chapter, level)))
    learner_cli.main(["hint", "--chapter", "06", "--level", "2"])
    assert seen["hint"] == ("06", 2)


# ---------------------------------------------------------------- messages name the runner
@pytest.mark.parametrize("name, expected", [
    ("make", ["make chapter06 TEST=test_shape", "make solution CHAPTER=06 CONFIRM=yes", "KATA_IMPL=reference make map",
              'make generate PROMPT="ROMEO:"']),
    ("kata", ["kata chapter06 --test test_shape", "kata solution 06 --yes", "kata map --impl reference",
              'kata generate --prompt "ROMEO:"']),
    ("python", ["python -m kata_tools chapter06 --test test_shape", "python -m kata_tools solution 06 --yes",
                "python -m kata_tools map --impl reference", 'python -m kata_tools generate --prompt "ROMEO:"']),
    ("notebook", ["!python -m kata_tools chapter06 --test test_shape", "!python -m kata_tools solution 06 --yes",
                  "!python -m kata_tools map --impl reference", '!python -m kata_tools generate --prompt "ROMEO:"']),
])
def test_a_command_is_written_the_way_the_learner_runs_things(monkeypatch, name, expected):
    monkeypatch.setenv(runner.RUNNER_VARIABLE, name)
    monkeypatch.setenv("KATA_LANG", "en")
    assert runner.runner() == name
    written = [runner.command("chapter06", test="test_shape"), runner.command("solution", chapter="06", confirm="yes"),
               runner.command("map", impl="reference"), runner.command("generate", prompt="ROMEO:")]
    assert written == expected
    message = i18n.t("solution.confirm_how", label="06", command=runner.command("solution", chapter="06",
                                                                                 confirm="yes"))
    assert message == f"To see the answer anyway: {expected[1]}"


def test_the_runner_defaults_to_python_m_kata_tools_and_the_notebook_names_its_cell(monkeypatch):
    assert runner.runner({}) == "python" and runner.runner({"KATA_RUNNER": "python -m kata_tools"}) == "python"
    monkeypatch.setenv("KATA_LANG", "zh")
    assert runner.command("chapter06", "notebook") == "notebooks/chapter06_attention_head.ipynb 的单元格"
    monkeypatch.setenv("KATA_LANG", "en")
    assert runner.command("chapter06", "notebook") == "the cells of notebooks/chapter06_attention_head.ipynb", \
        "the notebooks have no test cell: each step's cell runs the chapter's tests"
    with pytest.raises(KeyError):
        runner.command("chapter06", "kata", tset="x")


def test_the_console_script_is_the_front_door():
    from kata_tools.chapters import tomllib

    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, function = scripts["kata"].split(":")
    assert (module, function) == ("kata_tools.cli", "main") and callable(cli.main)
    assert "main(runner_name=\"python\")" in (REPO_ROOT / "kata_tools" / "__main__.py").read_text(encoding="utf-8")


def test_the_console_script_and_python_m_name_themselves(monkeypatch, capsys):
    monkeypatch.delenv(runner.RUNNER_VARIABLE)
    monkeypatch.setenv("KATA_LANG", "en")
    cli.main(["help"], runner_name="kata")
    assert os.environ[runner.RUNNER_VARIABLE] == "kata", "the pytest runs it starts speak the same way"
    assert "\n  kata progress " in capsys.readouterr().out
    monkeypatch.setenv(runner.RUNNER_VARIABLE, "notebook")
    cli.main(["help"], runner_name="kata")
    assert os.environ[runner.RUNNER_VARIABLE] == "notebook", "a runner already set (make, a notebook) stays"


LEARNER_FACING = ("kata_tools/*.py", "kata_tools/learner/*.py", "kata_tools/training/*.py", "data/*.py", "tests/*.py")
COMMAND_WORDS = re.compile(r"\bmake (?:chapter|setup\b|data\b|" + "|".join(
    re.escape(name) + r"\b" for name in cli.COMMANDS) + ")")


def strings_outside_docstrings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_learner_message_names_make_itself():
    """Each names its command through kata_tools.runner; the help's make setup and the set-up advice are make's own."""
    found = [f"{path.relative_to(REPO_ROOT)}:{line}: {text[:80]!r}"
             for pattern in LEARNER_FACING for path in sorted(REPO_ROOT.glob(pattern)) if path.name != "runner.py"
             for line, text in strings_outside_docstrings(path) if COMMAND_WORDS.search(text)
             and "make setup" not in text]
    assert not found, "route these through kata_tools.runner.command:\n" + "\n".join(found)
    for lang in i18n.LANGUAGES:
        catalogue = i18n.catalogue(lang)
        texts = {key: catalogue.gettext(key) for key in catalogue._catalog if key}
        named = sorted(key for key, text in texts.items() if COMMAND_WORDS.search(text) and "make setup" not in text)
        assert not named, f"{lang}: these messages name make: {named}"
        english = i18n.catalogue("en")
        for key, text in texts.items():  # translations keep every placeholder of the English text
            assert set(re.findall(r"{\w+}", text)) == set(re.findall(r"{\w+}", english.gettext(key))), (lang, key)


# ---------------------------------------------------------------- Windows
def test_the_venv_python_is_bin_python_or_scripts_python_exe():
    assert runner.venv_python(".venv", os_name="nt").parts[-3:] == (".venv", "Scripts", "python.exe")
    assert runner.venv_python(".venv", os_name="posix").parts[-3:] == (".venv", "bin", "python")


@pytest.mark.parametrize("os_name, where", [("nt", ("Scripts", "python.exe")), ("posix", ("bin", "python"))])
def test_a_python_without_the_packages_hands_the_command_to_the_venvs(tmp_path, monkeypatch, capfd, os_name, where):
    venv = tmp_path / ".venv"
    (venv / where[0]).mkdir(parents=True)
    (venv / where[0] / where[1]).symlink_to(sys.executable)  # stands in for the venv's interpreter
    monkeypatch.setattr(cli, "VENV", venv)
    monkeypatch.setattr(cli, "_missing", lambda: ["torch"])
    monkeypatch.setattr(cli, "venv_python", lambda path: runner.venv_python(path, os_name))
    monkeypatch.chdir(REPO_ROOT)
    assert cli._venv_handoff(["help"]) == 0
    assert "chapter00" in capfd.readouterr().out
    monkeypatch.setattr(cli, "VENV", tmp_path / "nothing")
    assert cli._venv_handoff(["progress"]) == 2
    error = capfd.readouterr().err.strip()
    assert error.endswith("has no torch, and this checkout has no .venv: set it up first (make setup; without make, "
                          "the README's \"On Windows\")"), error


def test_the_tools_need_no_posix_shell_and_build_no_bin_python_path():
    """No sh -c, no make and no .venv/bin/python inside the tools (the grading sandbox is Linux-only by design)."""
    offenders = []
    for path in sorted((REPO_ROOT / "kata_tools").rglob("*.py")):
        if path.parent.name == "grading" or path.name == "runner.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            program = node.elts[0] if isinstance(node, (ast.List, ast.Tuple)) and node.elts else None
            if isinstance(program, ast.Constant) and program.value in ("sh", "/bin/sh", "bash", "make", "find", "rm"):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}: runs {program.value}")
            if isinstance(node, ast.keyword) and node.arg == "shell":
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.value.lineno}: shell=")
        offenders += [f"{path.relative_to(REPO_ROOT)}:{line}: {text!r}"
                      for line, text in strings_outside_docstrings(path) if "bin/python" in text]
    assert not offenders, offenders


ENDLESS = test_failure_messages.ENDLESS  # a loop that never returns, tested twice


def run_chapter_file(pytester, name, text, *arguments):
    pytester.makeconftest('pytest_plugins = ["kata_tools.pytest_plugin"]\n')
    pytester.makepyfile(**{name: text})
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *arguments)


@pytest.fixture
def chapter_run(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv(state.STATE_DIRECTORY_VARIABLE, str(tmp_path / "kata-state"))
    monkeypatch.setenv("KATA_LANG", "en")
    return lambda name, text, *arguments: run_chapter_file(pytester, name, text, *arguments)


def test_with_the_thread_method_a_hung_test_still_ends_its_chapter_with_the_summary(chapter_run, monkeypatch):
    """Windows has no SIGALRM, so pytest-timeout uses a thread, which would end the whole run at the first timeout."""
    monkeypatch.setenv("KATA_TEST_TIMEOUT", "1")
    result = chapter_run("test_made_up_chapter11_bigram_language_model", ENDLESS, "-o", "timeout_method=thread")
    output = result.stdout.str()
    assert "generate did not return within 1 s: does the loop run exactly max_new_tokens times?" in output, output
    assert "1 failed" in output and "2 skipped" in output, output
    lines = summary(output)
    assert lines[1].startswith("chapter 11 BigramLanguageModel") and "0/3 green" in lines[1], lines
    assert "make chapter11 TEST=test_generate_returns" in lines[2], lines


SLOW = '''
import time


def test_slow_but_fine():
    time.sleep(1.2)
'''


def test_the_chapter_time_limit_is_off_with_timeout_0_or_under_a_debugger(chapter_run, monkeypatch):
    monkeypatch.setenv("KATA_TEST_TIMEOUT", "0.5")
    name = "test_made_up_chapter05_layer_norm"
    assert "did not return within 0.5 s" in chapter_run(name, SLOW).stdout.str(), "the limit holds by default"
    assert "1 passed" in chapter_run(name, SLOW, "--timeout=0").stdout.str()
    monkeypatch.setitem(sys.modules, "pydevd", types.ModuleType("pydevd"))  # what debugpy loads when it attaches
    assert "1 passed" in chapter_run(name, SLOW).stdout.str()


def test_a_debugger_is_told_from_a_coverage_tracer():
    # imported here: an in-process pytester run would warn that it cannot rewrite a plugin imported already
    from kata_tools import pytest_plugin

    assert not pytest_plugin.debugger_attached(lambda frame, event, argument: None)  # a tracer such as coverage's
    assert pytest_plugin.debugger_attached(bdb.Bdb().trace_dispatch)  # pdb's


# ---------------------------------------------------------------- VS Code
def test_vs_code_tasks_call_the_front_door_and_coverage_measures_katas_only():
    tasks = read_jsonc(REPO_ROOT / ".vscode" / "tasks.json")["tasks"]
    assert tasks and all(task["command"] == "${command:python.interpreterPath}" and task["type"] == "process"
                         and task["args"][:2] == ["-m", "kata_tools"] and task["args"][2] in cli.COMMANDS
                         for task in tasks), tasks
    from kata_tools.chapters import tomllib

    coverage = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["coverage"]["run"]
    assert coverage["source"] == ["katas"], "Run Tests with Coverage measures the learner's code, not reference/"
    assert ".coverage" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    launch = read_jsonc(REPO_ROOT / ".vscode" / "launch.json")["configurations"]
    assert all("--timeout=0" in entry["args"] for entry in launch if "args" in entry)
