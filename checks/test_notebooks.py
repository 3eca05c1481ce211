"""The chapters' notebooks: they match the katas, and chapter 00's works in a simulated Colab.

The simulated Colab is a Jupyter kernel (nbclient, ipykernel) whose Python has torch but cannot
import ``ensurepip`` (so ``python -m venv`` fails there, as in Colab), with ``COLAB_RELEASE_TAG``
set; the notebook's ``FORK_URL`` points at a git repository made from this checkout, standing in
for the learner's fork on GitHub. Nothing reaches the network: the corpus comes from this
checkout's ``data/input.txt`` (``TINYSHAKESPEARE_SOURCE``) and nothing is missing to install.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.dev import notebooks
from kata_tools.learner import notebook
from kata_tools.learner.state import chapter_functions
from kata_tools.stubs import solution_regions, stub_message

CHAPTER = CHAPTERS[0]
KATA = f"katas/{CHAPTER.module}.py"


def test_the_notebooks_are_what_make_notebooks_writes_from_the_katas():
    problems = notebooks.drift()
    assert not problems, "\n".join(problems) + "\nrun `make notebooks` (never edit a notebook by hand)"


def test_a_notebook_holds_each_steps_stub_exactly_as_its_kata_file_in_file_order():
    kata = (REPO_ROOT / KATA).read_text(encoding="utf-8")
    book = nbformat.reads(notebooks.expected_notebooks()[notebooks.notebook_path(CHAPTER)], as_version=4)
    steps = [cell.source for cell in book.cells if cell.cell_type == "code" and cell.id.startswith("step-")]
    magic = re.compile(rf"%%kata {CHAPTER.label} (\w+)\n")
    names = [magic.match(source).group(1) for source in steps]
    assert names == chapter_functions(CHAPTER), "one cell per step, in file order"
    for source in steps:
        body = magic.sub("", source, count=1)
        assert body in kata and f'"{stub_message(CHAPTER.label, magic.match(source).group(1))}"' in body
    assert "again whenever the runtime restarts" in book.cells[0].source, "a restart forgets %%kata"
    assert any(cell.source.startswith(f"%%kata {CHAPTER.label}\n") and "class ModelConfig" in cell.source
               for cell in book.cells), "the given code is a cell too"
    assert all(not cell.get("outputs") and cell.get("execution_count") is None
               for cell in book.cells if cell.cell_type == "code"), "written without outputs"


def test_chapter_12s_notebook_ends_training_and_generating_on_the_configs_device():
    book = nbformat.reads(notebooks.expected_notebooks()[notebooks.notebook_path(CHAPTERS[-1])], as_version=4)
    train, generate = book.cells[-2], book.cells[-1]
    assert "Trainer(model, optimizer, data_loader, config).train()" in train.source
    assert ".to(config.device_type)" in train.source and "model.generate(" in generate.source
    compile(train.source.split("\n", 1)[1], "train", "exec")
    compile(generate.source.split("\n", 1)[1], "generate", "exec")


@pytest.mark.training
def test_chapter_12s_training_and_generating_cells_run_on_a_solved_chapter(tmp_path):
    book = nbformat.reads(notebooks.expected_notebooks()[notebooks.notebook_path(CHAPTERS[-1])], as_version=4)
    code = "\n".join(cell.source.split("\n", 1)[1] for cell in book.cells[-2:])  # without their %%kata line
    assert "config = ModelConfig()\n" in code
    code = code.replace("from katas.", "from reference.").replace(  # the reference for a solved kata; two steps
        "config = ModelConfig()\n", "config = ModelConfig(total_training_steps=2, evaluation_loops=1)\n")
    code = code.replace("max_new_tokens=500", "max_new_tokens=20")
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("KATA_", "PYTEST_"))}
    environment["OMP_NUM_THREADS"] = "1"  # two tiny steps: threads only contend with the other tests for the cores
    completed = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=environment, capture_output=True,
                               text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "training on cpu" and lines[1].startswith("Step 0: Train Loss "), completed.stdout
    assert lines[3].startswith("Let's he"), completed.stdout


DEFINITIONS = '''"""Doc."""

import torch


@decorated
def first(x):
    """One."""
    raise NotImplementedError("chapter 00: write first")


class Second:
    def forward(self):
        raise NotImplementedError("chapter 00: write Second.forward")
'''


def test_a_cell_replaces_the_top_level_definition_of_its_name_decorators_and_all():
    definition, more = notebook.definition_source("def first(x):\n    return x\n", "first")
    assert not more
    replaced = notebook.replace_definition(DEFINITIONS, "first", definition)
    assert "@decorated" not in replaced and "def first(x):\n    return x\n\n\nclass Second" in replaced
    assert replaced.startswith('"""Doc."""\n\nimport torch\n\n\n')
    definition, more = notebook.definition_source("import math\nclass Second:\n    pass\nprint(1)\n", "Second")
    assert more and definition == "class Second:\n    pass\n"
    assert notebook.replace_definition(DEFINITIONS, "Second", definition).endswith("class Second:\n    pass\n")


@pytest.mark.parametrize("cell, complaint", [
    ("def first(x)\n    return x\n", "does not parse (line 1"),
    ("def second(x):\n    return x\n", "but it defines second"),
    ("def first(x):\n    return x\ndef helper():\n    pass\n", "but it defines helper"),
    ("x = 1\n", "should define first"),
])
def test_a_cell_that_does_not_parse_or_defines_another_name_is_refused_in_one_line(cell, complaint, monkeypatch):
    monkeypatch.setenv("KATA_LANG", "en")
    with pytest.raises(notebook.Refused, match=re.escape(complaint)) as refusal:
        notebook.definition_source(cell, "first")
    assert "\n" not in str(refusal.value) and "nothing was written" in str(refusal.value)


def test_a_cell_naming_no_step_of_its_chapter_is_refused_with_the_step_it_meant(monkeypatch):
    monkeypatch.setenv("KATA_LANG", "en")
    before = (REPO_ROOT / KATA).read_text(encoding="utf-8")
    with pytest.raises(notebook.Refused) as refusal:
        notebook.write_step(CHAPTER, "as_batch", "def as_batch(ids):\n    return ids\n")
    assert str(refusal.value) == ("chapter 00 has no step as_batch: a step's cell starts %%kata 00 and one of its "
                                  "steps (as_batch_of_one); nothing was written"), "the %%kata line is wrong"
    assert (REPO_ROOT / KATA).read_text(encoding="utf-8") == before


def test_a_kata_file_without_that_definition_is_left_alone(monkeypatch):
    monkeypatch.setenv("KATA_LANG", "en")
    with pytest.raises(notebook.Refused, match="has no top-level third"):
        notebook.replace_definition(DEFINITIONS, "third", "def third():\n    pass\n", "katas/x.py")
    with pytest.raises(notebook.Refused, match="does not parse"):
        notebook.replace_definition("def (:\n", "first", "def first():\n    pass\n", "katas/x.py")


def test_the_set_up_installs_the_learners_packages_of_requirements_txt():
    requirements = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8")
    named = {re.split(r"[<>=;\s]", line, maxsplit=1)[0].lower()
             for line in requirements.splitlines() if line.strip() and not line.startswith("#")}
    for _, requirement in notebook.LEARNER_PACKAGES:
        assert re.split(r"[<>=]", requirement)[0].lower() in named, requirement


def test_the_set_up_installs_only_what_the_kernels_python_lacks_with_its_own_pip(monkeypatch, capsys):
    monkeypatch.setenv("KATA_LANG", "en")
    commands = []
    monkeypatch.setattr(notebook, "run_shown", lambda command, environment=None: commands.append(command) or 0)
    packages = (("pytest", "pytest>=8"), ("kata_no_such_module", "kata-no-such-package"))
    assert notebook.install_missing(packages)
    assert commands == [[sys.executable, "-m", "pip", "install", "--quiet", "kata-no-such-package"]]
    assert "installing what this Python lacks: kata-no-such-package" in capsys.readouterr().out
    commands.clear()
    assert notebook.install_missing(packages[:1]) and commands == [], "nothing missing, nothing installed"


def test_without_pip_the_set_up_names_what_to_install_in_one_line(monkeypatch, capsys):
    monkeypatch.setenv("KATA_LANG", "en")
    find_spec = notebook.importlib.util.find_spec
    monkeypatch.setattr(notebook.importlib.util, "find_spec", lambda name: None if name == "pip" else find_spec(name))
    assert not notebook.install_missing((("kata_no_such_module", "kata-no-such-package"),))
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "has no pip, so kata-no-such-package cannot be installed" in error


def test_python_in_a_bang_cell_is_the_kernels_python(tmp_path):
    folder = os.path.dirname(sys.executable)
    assert not notebook.kernel_python_first({"PATH": folder}), "already the kernel's Python: PATH stays"
    other = {"PATH": str(tmp_path)}  # no python there: a kernel of a venv that was never activated
    assert notebook.kernel_python_first(other) and other["PATH"].split(os.pathsep)[0] == folder


def _set_up(cwd, tmp_path, fork_url=notebooks.FORK_PLACEHOLDER):
    """Run the set-up cell as plain Python (no kernel) in ``cwd``, in Colab: (its output, the clone folder)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("KATA_", "PYTEST_"))}
    environment.update({"COLAB_RELEASE_TAG": "release-colab-simulated", "KATA_CLONE_DIR": str(tmp_path / "content"),
                        "KATA_LANG": "en"})
    (tmp_path / "content").mkdir()
    completed = subprocess.run([sys.executable, "-c", notebooks.SETUP.format(fork=fork_url)], cwd=cwd,
                               env=environment, capture_output=True, text=True, timeout=120)
    return completed.stdout + completed.stderr, tmp_path / "content"


def test_the_set_up_cell_uses_the_checkout_it_runs_in_and_clones_nothing(tmp_path):
    said, content = _set_up(REPO_ROOT / notebooks.FOLDER, tmp_path)
    assert f"ready: {REPO_ROOT}," in said and "cloning" not in said, said
    assert not any(content.iterdir()), "nothing cloned"


def test_the_set_up_cell_asks_for_the_forks_url_before_cloning_anything(tmp_path):
    said, content = _set_up(tmp_path, tmp_path)
    assert said.strip() == ("Put the URL of your fork of the course in FORK_URL (fork it on GitHub first), then run "
                            "this cell again."), said
    assert not any(content.iterdir())


# ---------------------------------------------------------------- chapter 00's notebook in a simulated Colab
SIMULATED_COLAB = '''"""Colab's Python has no ensurepip (`python -m venv` fails there); its commands are logged."""
import json
import os
import sys


class _NoEnsurepip:
    def find_spec(self, name, path=None, target=None):
        if name == "ensurepip" or name.startswith("ensurepip."):
            raise ModuleNotFoundError("No module named 'ensurepip'", name=name)
        return None


sys.meta_path.insert(0, _NoEnsurepip())


def _log_commands(event, arguments):
    if event == "subprocess.Popen":
        with open(os.environ["SIMULATED_COLAB_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps([str(word) for word in arguments[1]]) + "\\n")


sys.addaudithook(_log_commands)
'''


def _fork(tmp_path):
    """A git repository of this checkout's files as they are now: the learner's fork on GitHub."""
    fork = tmp_path / "nanogpt-katas"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO_ROOT / name
        if source.is_file():
            (fork / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, fork / name)
    git = ["git", "-c", "user.name=learner", "-c", "user.email=learner@example.com", "-c", "init.defaultBranch=main"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "fork"]):
        subprocess.run([*git, *command], cwd=fork, check=True, capture_output=True)
    return fork


def _colab_environment(tmp_path):
    site = tmp_path / "colab-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SIMULATED_COLAB, encoding="utf-8")
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("KATA_", "PYTEST_", "COV_")) and name != "PYTHONPATH"}
    environment.update({
        "PYTHONPATH": str(site), "COLAB_RELEASE_TAG": "release-colab-simulated",
        "KATA_CLONE_DIR": str(tmp_path / "content"),
        "TINYSHAKESPEARE_SOURCE": str(REPO_ROOT / "data" / "input.txt"), "KATA_LANG": "en", "NO_COLOR": "1",
        "IPYTHONDIR": str(tmp_path / "ipython"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "PYTHONDONTWRITEBYTECODE": "1", "SIMULATED_COLAB_LOG": str(tmp_path / "commands.jsonl"),
    })
    return environment


def _text(cell):
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def test_chapter_00s_notebook_in_a_simulated_colab_stubs_first_then_a_step_written_turns_green(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    environment = _colab_environment(tmp_path)
    ensurepip = subprocess.run([sys.executable, "-c", "import ensurepip"], env=environment, capture_output=True,
                               text=True)
    assert "No module named 'ensurepip'" in ensurepip.stderr, "the simulated Colab has no ensurepip"
    fork = _fork(tmp_path)
    clone = tmp_path / "content" / fork.name
    (tmp_path / "content").mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", environment["JUPYTER_RUNTIME_DIR"])

    book = nbformat.read(REPO_ROOT / notebooks.notebook_path(CHAPTER), as_version=4)
    cells = {cell.id: cell for cell in book.cells}
    setup, given, step = cells["setup"], cells["given-1"], cells["step-as_batch_of_one"]
    assert notebooks.FORK_PLACEHOLDER in setup.source
    setup.source = setup.source.replace(notebooks.FORK_PLACEHOLDER, fork.as_uri())
    play = nbformat.v4.new_code_cell("print(tuple(as_batch_of_one([1, 2, 3]).shape))")
    hint = nbformat.v4.new_code_cell("!python -m kata_tools hint")  # as the summary's last line says
    book.cells += [play, hint]
    client = NotebookClient(book, timeout=240, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path / "content")}})
    with client.setup_kernel(env=environment):
        client.execute_cell(setup, book.cells.index(setup))
        said = _text(setup)
        assert f"cloning {fork.as_uri()} into {clone}" in said and "ready:" in said, said
        assert "installing" not in said, "nothing is missing in this kernel: nothing to install"
        assert (clone / "curriculum.toml").is_file() and (clone / "data" / "input.txt").is_file()
        assert not (clone / ".venv").exists(), "no venv in Colab"

        client.execute_cell(given, book.cells.index(given))
        client.execute_cell(step, book.cells.index(step))
        stubs = _text(step)
        functions = chapter_functions(CHAPTER)
        assert f"as_batch_of_one written into {KATA}" in stubs, stubs
        for function in functions:  # one line per step not written yet
            assert re.search(rf"not written yet.*{re.escape(function)}|{re.escape(function)}.*not written yet",
                             stubs), f"{function} has no 'not written yet' line:\n{stubs}"
        assert f"next: chapter 00, step 1 of {len(functions)}: as_batch_of_one" in stubs, stubs
        assert f"write it, then run:  the cells of {notebooks.notebook_path(CHAPTER)}" in stubs, "no test cell to name"
        assert "stuck? !python -m kata_tools hint" in stubs and "make chapter" not in stubs, stubs
        assert (clone / KATA).read_text(encoding="utf-8") == (REPO_ROOT / KATA).read_text(encoding="utf-8")

        reference = (REPO_ROOT / "reference" / f"{CHAPTER.module}.py").read_text(encoding="utf-8")
        solution = next(region for region in solution_regions(reference) if region.function == "as_batch_of_one")
        stub_line = f'    raise NotImplementedError("{stub_message(CHAPTER.label, "as_batch_of_one")}")'
        assert step.source.endswith("\n" + stub_line)
        step.source = step.source.replace(stub_line, "".join(solution.lines).rstrip("\n"))
        step.outputs = []
        client.execute_cell(step, book.cells.index(step))
        written = _text(step)
        assert re.search(r"chapter 00 .*\b1/\d+ green", written) and " 1 passed" in written, written
        assert f"next: chapter 00, step 2 of {len(functions)}: {functions[1]}" in written, written
        assert not re.search(r"as_batch_of_one.*not written yet|not written yet.*as_batch_of_one", written), written
        kata = (clone / KATA).read_text(encoding="utf-8")
        assert "".join(solution.lines) in kata and stub_message(CHAPTER.label, "as_batch_of_one") not in kata
        assert stub_message(CHAPTER.label, functions[1]) in kata, "the other steps are left as they were"

        client.execute_cell(play, book.cells.index(play))
        assert _text(play).strip() == "(1, 3)", "the cell's definition is in the kernel too"
        client.execute_cell(hint, book.cells.index(hint))
        assert "Run !python -m kata_tools hint again" in _text(hint), "its messages name the notebook's way"
    commands = [json.loads(line) for line in Path(environment["SIMULATED_COLAB_LOG"]).read_text().splitlines()]
    assert ["git", "clone", "--quiet", fork.as_uri(), str(clone)] in commands
    assert [sys.executable, "-m", "kata_tools.learner.gate", CHAPTER.label] in commands
    assert not [command for command in commands if {"venv", "ensurepip", "pip"} & set(command)], \
        f"no venv, and nothing to install with pip: {commands}"
    assert (REPO_ROOT / KATA).read_text(encoding="utf-8").count("raise NotImplementedError") == len(functions), \
        "this checkout's katas are untouched"
