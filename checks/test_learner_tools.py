"""The learner tools: the pytest plugin's report and summary, progress, hints, the make targets.

Kept in checks/, not tests/, so that they never show up in a learner's progress.
The plugin is checked with pytester on small made-up chapters; the make
targets run in a temporary copy of the repository.
"""

import ast
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import torch  # noqa: F401  imported before any in-process pytester run, which would otherwise import it twice

from kata_tools import i18n
from kata_tools.chapters import CHAPTERS, REPO_ROOT, chapter, chapter_of_path
from kata_tools.dev import messages
from kata_tools.learner import progress, state
from kata_tools.learner.hints import attribute, check_hints, functions_of, hints_for
from kata_tools.stubs import solution_regions

pytest_plugins = ["pytester"]


@pytest.fixture
def state_directory(tmp_path, monkeypatch):
    """Remembered results and hint levels go to a temporary .kata/, never the checkout's."""
    directory = tmp_path / "kata-state"
    monkeypatch.setenv(state.STATE_DIRECTORY_VARIABLE, str(directory))
    monkeypatch.setenv("KATA_LANG", "en")
    return directory


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """An importable package laid out like katas/ (uniquely named), chosen with KATA_IMPL."""
    name = f"fake_katas_{uuid.uuid4().hex[:8]}"
    root = tmp_path / "packages"
    (root / name).mkdir(parents=True)
    (root / name / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setenv("KATA_IMPL", name)

    def write(label, text):
        (root / name / f"{chapter(label).module}.py").write_text(text, encoding="utf-8")

    write.name = name
    write.directory = root / name
    return write


def run_plugin(pytester, files, *arguments):
    """Run made-up chapter test files under the plugin, in process."""
    pytester.makeconftest('pytest_plugins = ["kata_tools.pytest_plugin"]\n')
    for name, text in files.items():
        # made_up_: the session running these checks may hold the real test_chapter06_... module already
        pytester.makepyfile(**{name.replace("test_", "test_made_up_", 1): text})
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *arguments)


STUB_TEST = '''
from kata_tools.implementation import chapter_module

head = chapter_module("chapter06_attention_head")


def test_attention_head_builds():
    head.AttentionHead(4, None)
'''


# ---------------------------------------------------------------- the plugin
def test_a_stub_failure_is_one_line_naming_file_class_and_method(pytester, state_directory, fake_package):
    fake_package("06", state.stub_text(chapter(6)))
    result = run_plugin(pytester, {"test_chapter06_attention_head": STUB_TEST + "\n\ndef test_other():\n    pass\n"})
    output = result.stdout.str()
    line = next((text for text in result.outlines if text.startswith("not written yet: ")), None)
    assert line is not None, output
    assert re.fullmatch(
        rf"not written yet: chapter 06: write AttentionHead\.__init__  \(.*{fake_package.name}/"
        r"chapter06_attention_head\.py:\d+\)", line,
    ), line
    assert "Traceback" not in output and "raise NotImplementedError" not in output, "a stub prints no traceback"
    assert "chapter 06 AttentionHead  1/2 green" in output
    assert result.outlines[-1].startswith("stuck? make hint"), "the chapter summary should end the output"


def test_the_summary_gives_each_chapter_its_state(pytester, state_directory, fake_package):
    fake_package("06", state.stub_text(chapter(6)))
    fake_package("07", state.stub_text(chapter(7)) + "\n# the learner has started here\n")
    result = run_plugin(pytester, {
        "test_chapter05_layer_norm": "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n",
        "test_chapter06_attention_head": STUB_TEST,
        "test_chapter07_multi_head_attention": (
            "def test_green():\n    pass\n\n\n"
            "def test_red():\n    assert 1 == 2, 'expected (B, T, C) = (2, 6, 12), got (2, 6, 4)'\n"
        ),
    })
    output = result.stdout.str()
    assert re.search(r"chapter 05 LayerNorm +2/2 green +done", output), output
    assert re.search(r"chapter 06 AttentionHead +0/1 green +not started", output), output
    assert re.search(r"chapter 07 MultiHeadAttention +1/2 green +locked", output), output
    assert "next: write AttentionHead.__init__ in" in output

    remembered = json.loads((state_directory / "results" / f"{fake_package.name}.json").read_text(encoding="utf-8"))
    assert set(remembered) == {"05", "06", "07"}, "every chapter that ran whole is remembered"
    records = next(iter(remembered["07"]["records"].values()))["tests"]
    assert [test["outcome"] for test in records] == ["passed", "failed"]
    assert "expected (B, T, C) = (2, 6, 12), got (2, 6, 4)" in records[1]["message"]


def test_the_summary_of_an_in_progress_chapter_shows_the_failing_message(pytester, state_directory, fake_package):
    fake_package("05", "# started\n")
    result = run_plugin(pytester, {"test_chapter05_layer_norm": (
        "from kata_tools.testing import assert_shape\nimport torch\n\n\n"
        "def test_shape():\n    assert_shape(torch.zeros(2, 6, 12), (2, 6, 4), '(B, T, head_size)')\n"
    )})
    output = result.stdout.str()
    assert re.search(r"chapter 05 LayerNorm +0/1 green +in progress", output), output
    assert "next: make the test test_shape pass:  make chapter05 TEST=test_shape" in output
    assert "expected (B, T, head_size) = (2, 6, 4), got (2, 6, 12)" in output, "shape errors name the dimensions"


def test_a_partial_run_is_summed_up_but_not_remembered(pytester, state_directory):
    two_tests = "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n"
    result = run_plugin(pytester, {"test_chapter05_layer_norm": two_tests}, "-k", "test_a")
    assert "chapter 05 LayerNorm  1/1 green  (only part of this chapter ran)" in result.stdout.str()
    assert not (state_directory / "results").exists(), "a -k run must not be remembered as the chapter's result"


def test_a_crash_in_the_learners_code_is_located(pytester, state_directory, fake_package):
    fake_package("06", state.stub_text(chapter(6)).replace(
        'raise NotImplementedError("chapter 06: write AttentionHead.__init__")',
        'super().__init__()\n        import torch\n        torch.zeros(2, 3) @ torch.zeros(2, 3)',
    ))
    result = run_plugin(pytester, {"test_chapter06_attention_head": STUB_TEST})
    output = result.stdout.str()
    assert "in your code" in output, output
    assert re.search(r"AttentionHead\.__init__ raised RuntimeError at .*chapter06_attention_head\.py:\d+:", output)
    assert "torch.zeros(2, 3) @ torch.zeros(2, 3)" in output
    assert "Print the .shape of each tensor" in output
    records = json.loads((state_directory / "results" / f"{fake_package.name}.json").read_text(encoding="utf-8"))["06"]
    assert next(iter(records["records"].values()))["tests"][0]["function"] == "AttentionHead.__init__"


@pytest.mark.parametrize("language, stub_line, summary_line", [
    ("zh", "还没写：第 06 章：写出 AttentionHead.__init__（", "第 06 章 AttentionHead  0/1 通过  未开始"),
    ("ja", "まだ書かれていません：第 06 章：AttentionHead.__init__ を書きましょう（",
     "第 06 章 AttentionHead  0/1 合格  未着手"),
])
def test_the_friendly_messages_follow_kata_lang(pytester, state_directory, fake_package, monkeypatch,
                                                language, stub_line, summary_line):
    monkeypatch.setenv("KATA_LANG", language)
    fake_package("06", state.stub_text(chapter(6)))
    output = run_plugin(pytester, {"test_chapter06_attention_head": STUB_TEST}).stdout.str()
    assert stub_line in output and summary_line in output, output


# ---------------------------------------------------------------- languages
@pytest.mark.parametrize("environment, expected", [
    ({"KATA_LANG": "ja"}, "ja"),
    ({"KATA_LANG": "zh_CN"}, "zh"),
    ({"KATA_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANGUAGE": "ja:en", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_language_comes_from_kata_lang_then_the_locale(environment, expected):
    assert i18n.language(environment) == expected


def test_every_message_exists_in_three_languages_with_the_same_placeholders():
    catalogues = {lang: {message.id: message.string for message in messages.read_catalogue(lang) if message.id}
                  for lang in i18n.LANGUAGES}
    assert catalogues["en"], "the English catalogue is empty"
    for key in catalogues["en"]:
        texts = [catalogues[lang].get(key) for lang in i18n.LANGUAGES]
        assert all(texts), f"{key}: needs en, zh and ja"
        fields = [sorted(set(re.findall(r"{(\w+)}", text))) for text in texts]
        assert fields[0] == fields[1] == fields[2], f"{key}: the translations use other placeholders {fields}"
    for lang in i18n.LANGUAGES:
        extra = set(catalogues[lang]) - set(catalogues["en"])
        assert not extra, f"{lang}: messages the English catalogue lacks: {sorted(extra)}"


def test_the_compiled_catalogues_match_their_po_files():
    assert not messages.stale(), f"out of date: {messages.stale()}; run make messages"


def test_wrapping_counts_wide_characters_twice():
    text = i18n.t("solution.not_green", lang="zh", label="06", title="AttentionHead", green=3, total=9,
                  command="make hint CHAPTER=06")
    lines = i18n.wrap(text, 40)
    assert len(lines) > 1 and all(i18n.display_width(line) <= 42 for line in lines), lines
    assert "".join(lines) == text.replace(" ", "") or " ".join(lines).replace(" ", "") == text.replace(" ", "")


# ---------------------------------------------------------------- hints
def test_every_function_a_learner_writes_has_three_hints_in_three_languages():
    problems = check_hints()
    assert not problems, "\n".join(problems)


def _solution_lines(entry):
    source = entry.source_file("reference").read_text(encoding="utf-8")
    return [line.split("#")[0].strip() for region in solution_regions(source) for line in region.lines
            if len(line.split("#")[0].strip()) >= 10]


@pytest.mark.parametrize("entry", CHAPTERS, ids=lambda entry: entry.label)
def test_hints_teach_without_giving_the_answer_away(entry):
    solution = _solution_lines(entry)
    for function, texts in hints_for(entry).items():
        for language, levels in texts.items():
            for level, text in enumerate(levels[:2], start=1):
                leaked = [line for line in solution if line in text]
                assert not leaked, f"{function} ({language}) hint {level} contains the answer's line {leaked}"
    for function in functions_of(entry):
        body = [line for line in solution if line]
        for language, levels in hints_for(entry)[function].items():
            if body:
                assert not all(line in levels[2] for line in body), (
                    f"{function} ({language}): the third hint is the whole answer"
                )


@pytest.mark.parametrize("test_name, recorded, checked, expected", [
    ("test_output_has_shape_batch_time_head_size_for_every_length", "AttentionHead.__init__", "AttentionHead.forward",
     "AttentionHead.__init__"),  # a stub still to write comes first
    ("test_keys_queries_and_values_have_their_own_bias_free_projections", None, "AttentionHead.__init__",
     "AttentionHead.__init__"),
    ("test_scores_are_scaled_by_head_size_to_the_minus_one_half", None, "AttentionHead.forward",
     "AttentionHead.forward"),
    ("test_output_has_shape_batch_time_head_size_for_every_length", "AttentionHead._my_helper",
     "AttentionHead.forward", "AttentionHead.forward"),
])
def test_a_failing_test_is_matched_to_the_function_it_is_about(test_name, recorded, checked, expected):
    functions = functions_of(chapter(6))
    test = state.test_record(f"tests/test_chapter06_attention_head.py::{test_name}", "failed", function=recorded,
                                kata=checked)
    assert attribute(test, functions) == expected


def _kata_markers(entry):
    """{test name: the name in its @pytest.mark.kata(...) or None} for the chapter's test file."""
    found = {}
    for node in ast.parse(entry.test_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found[node.name] = next((decorator.args[0].value for decorator in node.decorator_list
                                     if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) ==
                                     "pytest.mark.kata" and decorator.args
                                     and isinstance(decorator.args[0], ast.Constant)), None)
    return found


@pytest.mark.parametrize("entry", CHAPTERS, ids=lambda entry: entry.label)
def test_every_chapter_test_names_the_function_it_checks(entry):
    functions = functions_of(entry)
    problems = [f"{name}: add @pytest.mark.kata(\"<function>\"), one of {functions}" if checked is None
                else f"{name}: kata({checked!r}) is not a function the chapter's learner writes ({functions})"
                for name, checked in _kata_markers(entry).items() if checked not in functions]
    assert not problems, "\n".join(problems)


def test_make_hint_follows_the_marker_of_the_failing_test(tmp_path):
    outcomes = tmp_path / "outcomes.json"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-p", "kata_tools.outcomes",
         f"--outcomes-json={outcomes}", "tests/test_chapter06_attention_head.py::"
         "test_keys_queries_and_values_have_their_own_bias_free_projections"],
        cwd=REPO_ROOT, env={**os.environ, "KATA_IMPL": "katas"}, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    (record,) = json.loads(outcomes.read_text()).values()
    assert record["kata"] == "AttentionHead.__init__", record


# ---------------------------------------------------------------- states and memory
def test_a_chapter_key_follows_its_own_and_imported_kata_files_only(fake_package):
    for entry in CHAPTERS:
        fake_package(entry.label, state.stub_text(entry))
    before = {entry.label: state.chapter_key(entry) for entry in CHAPTERS}
    fake_package("06", state.stub_text(chapter(6)) + "\n# edited\n")
    after = {entry.label: state.chapter_key(entry) for entry in CHAPTERS}
    changed = {label for label in before if before[label] != after[label]}
    # 08 imports chapter 06's DeterministicDropout, the tutorial's dropout of chapters 06-11
    assert {"06", "07", "08", "09", "11"} <= changed, "chapters that import chapter 06 must be run again"
    assert not changed & {"00", "01", "05", "10"}, f"unrelated chapters were invalidated: {sorted(changed)}"
    assert state.is_untouched(chapter(5)) and not state.is_untouched(chapter(6))


def test_states_are_done_in_progress_not_started_and_locked(state_directory, fake_package):
    for entry in CHAPTERS:
        fake_package(entry.label, state.stub_text(entry) + ("\n# started\n" if entry.number in (1, 2) else ""))
    package = fake_package.name
    green = state.ChapterResult("00", [state.test_record("t::a", "passed")])
    red = state.ChapterResult("01", [state.test_record("t::a", "passed"), state.test_record("t::b", "failed")])
    state.remember(package, {"00": (state.chapter_key(chapter(0)), green),
                                "01": (state.chapter_key(chapter(1)), red)})
    found = progress.statuses(package, run=False)
    states = [status.state for status in found]
    assert states[:3] == ["done", "in progress", "locked"] and set(states[3:]) == {"locked"}, states
    assert progress.current_chapter(found).entry.label == "01"
    table = progress.render_table(found, package)
    assert re.search(r"00 +Warm-up +done +(\d+)/\1 +1/1", table), table
    assert re.search(r"01 +DataLoader +in progress +- +1/2", table), table
    assert "2/3 tests green, 1 of 13 chapters done" in table and "next: chapter 01 DataLoader" in table


def test_several_versions_of_a_chapter_are_remembered(state_directory, fake_package):
    fake_package("00", "# one\n")
    package, entry = fake_package.name, chapter(0)
    keys = []
    for version in range(state.KEEP_RECORDS + 2):
        fake_package("00", f"# version {version}\n")
        keys.append(state.chapter_key(entry))
        result = state.ChapterResult("00", [state.test_record("t", "passed")])
        state.remember(package, {"00": (keys[-1], result)})
        time.sleep(0.001)
    fake_package("00", "# version 2\n")
    assert state.remembered(entry, package) is not None, "going back to an earlier version should not need a run"
    fake_package("00", "# version 0\n")
    assert state.remembered(entry, package) is None, "only the most recent versions are kept"


def test_the_checks_never_count_as_a_chapter():
    assert chapter_of_path(Path(__file__)) is None
    assert all(chapter_of_path(path) is None for path in (REPO_ROOT / "checks").glob("test_*.py"))


# ---------------------------------------------------------------- VS Code and the Dev Container
def read_jsonc(path):
    """JSON with // comments, as VS Code reads its settings."""
    text, output, in_string, index = path.read_text(encoding="utf-8"), [], False, 0
    while index < len(text):
        character = text[index]
        if in_string:
            output.append(character)
            if character == "\\":
                output.append(text[index + 1])
                index += 1
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
            output.append(character)
        elif text.startswith("//", index):
            index = text.find("\n", index) - 1 if "\n" in text[index:] else len(text)
        else:
            output.append(character)
        index += 1
    return json.loads("".join(output))


def test_vs_code_runs_the_chapter_tests_in_one_process_and_can_debug_one():
    settings = read_jsonc(REPO_ROOT / ".vscode" / "settings.json")
    assert settings["python.testing.pytestEnabled"] is True and settings["python.testing.unittestEnabled"] is False
    arguments = settings["python.testing.pytestArgs"]
    assert "tests" in arguments and "checks" not in arguments, "the learner's Testing view shows the chapters only"
    addopts = re.search(r"^addopts\s*=\s*(.*)$", (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    for options in (arguments, json.loads(addopts.group(1)) if addopts else []):
        assert not {"-n", "--numprocesses"} & {option.split("=")[0] for option in options}, (
            f"{options}: -n in the default options starts xdist workers, and breakpoints never stop"
        )
    launch = read_jsonc(REPO_ROOT / ".vscode" / "launch.json")["configurations"]
    assert any("debug-test" in configuration.get("purpose", []) for configuration in launch)
    by_id = [configuration for configuration in launch if configuration.get("module") == "pytest"]
    assert by_id and all("-n" not in configuration["args"] for configuration in by_id)
    recommended = read_jsonc(REPO_ROOT / ".vscode" / "extensions.json")["recommendations"]
    assert {"ms-python.python", "ms-python.debugpy"} <= set(recommended)


def test_vs_code_discovers_exactly_what_the_repository_check_collects_on_the_stubs():
    """checks/test_repository.py collects ``tests`` on the stubs and requires it to be clean; VS Code asks the same."""
    assert read_jsonc(REPO_ROOT / ".vscode" / "settings.json")["python.testing.pytestArgs"] == ["tests"]
    files = sorted(path.name for path in (REPO_ROOT / "tests").glob("test_*.py"))
    assert files == sorted(entry.test_file.name for entry in CHAPTERS), "test files are named by chapter, in order"


def test_the_dev_container_has_python_312_the_dependencies_and_the_corpus():
    container = read_jsonc(REPO_ROOT / ".devcontainer" / "devcontainer.json")
    assert "3.12" in container["image"]
    assert re.search(r"\bmake setup data\b", container["postCreateCommand"])
    assert "ms-python.python" in container["customizations"]["vscode"]["extensions"]


def test_the_readmes_explain_the_tools_in_three_languages():
    english = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "Testing view" in english and "README.zh.md" in english and "README.ja.md" in english
    for name in ("README.md", "README.zh.md", "README.ja.md"):
        text = (REPO_ROOT / name).read_text(encoding="utf-8")
        for command in ("make progress", "make next", "make watch", "make hint", "make solution", "make reset",
                        "make map", "KATA_LANG"):
            assert command in text, f"{name} does not mention {command}"


# ---------------------------------------------------------------- the make targets, in a copy of the repository
class LearnerCopy:
    """A copy of what a learner's checkout needs, using this interpreter instead of a .venv."""

    COPIED = ("Makefile", "pyproject.toml", "requirements.txt", "curriculum.toml", "kata_tools", "katas", "reference",
              "tests", "hints")

    def __init__(self, root):
        self.root = root
        root.mkdir(parents=True)
        ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
        for name in self.COPIED:
            source = REPO_ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=ignore)
            else:
                shutil.copy2(source, root / name)
        (root / "data").mkdir()
        for source in (REPO_ROOT / "data").glob("*.py"):
            shutil.copy2(source, root / "data" / source.name)
        (root / "data" / "input.txt").symlink_to(REPO_ROOT / "data" / "input.txt")
        self.stamp = root / "installed.stamp"  # stands in for .venv/.installed: nothing gets installed
        self.stamp.touch()
        os.utime(root / "requirements.txt", (0, 0))
        self.environment = {**os.environ, "KATA_IMPL": "katas", "KATA_LANG": "en", "NO_COLOR": "1",
                            "PYTHONDONTWRITEBYTECODE": "1"}
        for name in ("PYTEST_XDIST_WORKER", state.STATE_DIRECTORY_VARIABLE, "MAKEFLAGS", "MAKELEVEL", "KATA_RUNNER"):
            self.environment.pop(name, None)

    def make(self, *arguments, timeout=120, **environment):
        completed = subprocess.run(
            ["make", "--no-print-directory", *arguments, f"PY={sys.executable}", f"STAMP={self.stamp}"],
            cwd=self.root, env={**self.environment, **environment}, capture_output=True, text=True,
            timeout=timeout, stdin=subprocess.DEVNULL,
        )
        completed.output = completed.stdout + completed.stderr
        return completed

    def solve(self, label):
        entry = chapter(label)
        shutil.copy2(entry.source_file("reference"), self.root / "katas" / f"{entry.module}.py")

    def kata(self, label):
        return self.root / "katas" / f"{chapter(label).module}.py"


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture
def learner(tmp_path):
    return LearnerCopy(tmp_path / "checkout")


@needs_make
def test_a_learners_session_with_progress_hint_solution_next_and_reset(learner):
    """One learner's session, in order; each step's output is what a learner would read.

    The learner has copied chapter 01 ahead of time, so it is green but locked.
    Four test runs in all: the tools reuse every result they remembered.
    """
    learner.solve("01")
    first = learner.make("progress")
    assert first.returncode == 0, first.output
    assert "running the tests of chapter 00-12" in first.output
    assert re.search(r"00 +Warm-up +not started +0/\d+", first.output), first.output
    assert re.search(r"01 +DataLoader +locked +(\d+)/\1", first.output), "green, but chapter 00 is not done"
    assert re.search(r"02 +TokenEmbedding +locked +0/\d+", first.output)
    assert re.search(r"[░-] +\d+%", first.output) and "next: chapter 00 Warm-up, run make next" in first.output

    hint = learner.make("hint")
    assert hint.returncode == 0 and "running" not in hint.output, "hint should use the remembered results"
    assert "chapter 00 Warm-up, first failing test: test_" in hint.output
    assert "not written yet: chapter 00: write as_batch_of_one  (katas/chapter00_warmup.py:" in hint.output
    assert "Hint 1 of 3 for as_batch_of_one: a nudge" in hint.output
    assert "Hint 2 of 3 for as_batch_of_one: the idea" in learner.make("hint").output
    third = learner.make("hint", KATA_LANG="ja")
    assert "as_batch_of_one のヒント 3/3：コードの形" in third.output
    assert "return torch.tensor(..., dtype=...)" in third.output
    assert "Hint 3 of 3" in learner.make("hint").output, "after the last level, the last level stays"
    assert "Hint 1 of 3" in learner.make("hint", "LEVEL=1").output

    refused = learner.make("solution", "CHAPTER=00")
    answer = "return torch.tensor([ids], dtype=torch.long)"
    assert refused.returncode != 0 and answer not in refused.output, refused.output
    assert "make solution CHAPTER=00 CONFIRM=yes" in refused.output
    confirmed = learner.make("solution", "CHAPTER=00", "CONFIRM=yes")
    assert confirmed.returncode == 0 and answer in confirmed.output

    learner.solve("00")
    advanced = learner.make("next")
    assert "chapters 00, 02: running their tests" in advanced.output, "01 is remembered green: skipped"
    assert re.search(r"chapter 00 Warm-up +(\d+)/\1 green +done", advanced.output), advanced.output
    assert "test_chapter01" not in advanced.output
    assert re.search(r"chapter 02 TokenEmbedding +0/\d+ green +not started", advanced.output), advanced.output
    steps = state.chapter_functions(chapter(2))
    assert re.search(rf"next: chapter 02, step 1 of {len(steps)}: embedding_table  "
                     r"\(katas/chapter02_token_embedding\.py:\d+\)", advanced.output), advanced.output
    assert "Hint 1 of 3 for embedding_table" in learner.make("hint").output, "make next's runs are remembered"
    earned = learner.make("solution", "CHAPTER=00")
    assert earned.returncode == 0 and "Reference solution, chapter 00 Warm-up" in earned.output, earned.output

    second = learner.make("progress")
    assert "running" not in second.output, "make next's runs are remembered: nothing to run"
    assert re.search(r"00 +Warm-up +done +(\d+)/\1", second.output), second.output
    assert re.search(r"01 +DataLoader +done", second.output)
    assert re.search(rf"02 +TokenEmbedding +not started +0/{len(steps)} ", second.output), "the steps column"
    assert re.search(r"00 +Warm-up +done +(\d+)/\1 +(\d+)/\2", second.output), "steps done, then tests green"
    assert f"chapter 02, step 1 of {len(steps)}: embedding_table" in second.output
    assert "2 of 13 chapters done" in second.output and "next: chapter 02 TokenEmbedding" in second.output
    trainer = learner.kata("12")
    trainer.write_text(trainer.read_text(encoding="utf-8") + "\n# started early\n", encoding="utf-8")
    third = learner.make("progress")
    assert "running the tests of chapter 12 (" in third.output, "only the changed chapter runs again"
    assert re.search(r"12 +Trainer +locked", third.output)

    before = learner.kata("00").read_text(encoding="utf-8")
    kept = learner.make("reset", "CHAPTER=00")
    assert kept.returncode != 0 and "CONFIRM=yes" in kept.output
    assert learner.kata("00").read_text(encoding="utf-8") == before, "reset without a yes changed the file"
    done = learner.make("reset", "CHAPTER=00", "CONFIRM=yes")
    assert done.returncode == 0, done.output
    assert learner.kata("00").read_text(encoding="utf-8") == state.stub_text(chapter(0))
    backups = list((learner.root / ".kata" / "backups").glob("chapter00_warmup.*.py"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == before
    assert "still the untouched stubs" in learner.make("reset", "CHAPTER=00", "CONFIRM=yes").output
    after_reset = learner.make("progress")
    assert "running" not in after_reset.output, "the stubs' results are still remembered"
    assert re.search(r"00 +Warm-up +not started", after_reset.output)
    assert re.search(r"01 +DataLoader +locked", after_reset.output)
    assert "Which chapter?" in learner.make("solution").output and "Which chapter?" in learner.make("reset").output


def test_the_map_of_untouched_stubs_says_where_it_starts(fake_package, monkeypatch, state_directory):
    from kata_tools.learner.tensor_map import draw

    for entry in CHAPTERS:
        fake_package(entry.label, state.stub_text(entry))
    printed = []
    assert draw(out=printed.append) == 0
    message = " ".join(printed[0].split())
    assert "Nothing to map yet" in message and "chapter 02: write TokenEmbedding.__init__" in message, message
    fake_package("02", (REPO_ROOT / "reference" / "chapter02_token_embedding.py").read_text(encoding="utf-8"))
    for name in [name for name in sys.modules if name.startswith(fake_package.name + ".")]:
        monkeypatch.delitem(sys.modules, name)  # the learner saved the file: import it afresh
    printed.clear()
    draw(out=printed.append)
    text = "\n".join(printed)
    assert "biggest piece" in text and "Tensor map of your TokenEmbedding (chapter 02)" in text, text
    assert "token_embedding_table" in text and "[16, 32, 64]" in text


def test_the_map_of_the_finished_model_draws_every_layer_with_shapes_and_parameters(monkeypatch, state_directory):
    from kata_tools.learner.tensor_map import draw

    monkeypatch.setenv("KATA_IMPL", "reference")
    printed = []
    assert draw(out=printed.append) == 0
    text = "\n".join(printed)
    for expected in ("Tensor map of your BigramLanguageModel", "Input Shape", "Output Shape", "Param #",
                     "[16, 32]", "[16, 32, 65]", "TransformerBlock", "Total params", "B=16 T=32"):
        assert expected in text, f"{expected!r} missing from the map:\n{text}"


@needs_make
def test_make_targets_are_listed_in_help_and_pass_their_variables(learner):
    listed = learner.make("help").stdout
    for target in ("progress", "next", "watch", "hint", "solution", "reset", "map"):
        assert f"make {target}" in listed
    dry = learner.make("-n", "hint", "CHAPTER=06", "LEVEL=2").stdout
    assert "-m kata_tools hint 06 --level 2" in dry
    assert "-m kata_tools watch 06" in learner.make("-n", "watch", "CHAPTER=06").stdout


def test_watch_runs_the_current_chapter_again_when_a_kata_file_is_saved(learner):
    pytest.importorskip("watchfiles")
    process = subprocess.Popen(
        [sys.executable, "-m", "kata_tools.learner.cli", "watch", "--runs", "2"], cwd=learner.root,
        env=learner.environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen = []

    def wait_for(text, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.2))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return True
        return False

    try:
        assert wait_for("watching katas/", 90), "".join(seen)
        kata = learner.kata("00")
        for attempt in range(5):  # the watcher starts right after that line: save until it notices
            time.sleep(0.5)
            kata.write_text(kata.read_text(encoding="utf-8") + f"\n# saved {attempt}\n", encoding="utf-8")
            if wait_for("changed", 4):
                break
        assert process.wait(timeout=90) == 0, "".join(seen)
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(seen) + "".join(iter(lambda: lines.get_nowait() if not lines.empty() else "", ""))
    assert "katas/chapter00_warmup.py changed" in output, output
    assert len(re.findall(r"^chapters? 00.*: running", output, re.M)) == 2, output
    assert output.count("chapter 00 Warm-up  0/") >= 2, output


def test_a_closed_pipe_ends_a_tool_quietly(state_directory):
    """make hint | head -3, make solution ... | head: no BrokenPipeError traceback."""
    talker = "print('\\n'.join(f'line {n}' for n in range(100000))) or 0"
    completed = subprocess.run(
        f'{sys.executable} -c "import sys; from kata_tools.learner.cli import run; '
        f'sys.exit(run(lambda argv: {talker}))"'
        " | head -1", shell=True, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert completed.stdout == "line 0\n", completed.stdout
    assert 'sys.exit(run(main))' in (REPO_ROOT / "kata_tools" / "learner" / "cli.py").read_text(), "every learner tool"
    assert "Traceback" not in completed.stderr and "BrokenPipeError" not in completed.stderr, completed.stderr


def test_the_map_writes_units_not_enum_names():
    from kata_tools.learner.tensor_map import tidy_summary

    assert tidy_summary("Total mult-adds (Units.MEGABYTES): 3.39") == "Total mult-adds (M): 3.39"


@needs_make
def test_make_chapter_takes_one_digit_and_names_the_chapters_there_are(learner):
    learner.solve("00")
    result = learner.make("chapter0")
    assert result.returncode == 0 and "chapter 00 Warm-up" in result.output, result.output
    result = learner.make("chapter13")
    assert result.returncode != 0 and "there is no chapter 13: chapters run from 00 to 12" in result.output
    assert "No rule to make target" not in result.output


def test_test_takes_a_tests_name_or_part_of_it_and_a_name_no_test_has_is_one_line(monkeypatch, capsys):
    from kata_tools.learner import gate

    monkeypatch.setenv("KATA_LANG", "en")
    exact = "test_vocabulary_of_hello_world_is_its_sorted_distinct_characters"
    assert gate.tests_named(chapter(1), exact) == [exact]
    assert gate.tests_named(chapter(1), exact + "[2]") == [exact + "[2]"], "a parametrized case, as pytest names it"
    part = gate.tests_named(chapter(1), "vocabulary")
    assert exact in part and len(part) > 1 and all("vocabulary" in name for name in part), "a step's name works"
    assert gate.main(["01", "--test", "no_such_test_anywhere"]) == 4
    error = capsys.readouterr().err
    assert error == ("chapter 01 has no test named no_such_test_anywhere, nor one whose name contains it: its tests "
                     "are the test_ functions of tests/test_chapter01_data_loader.py\n"), "one line, no pytest run"
    for argv, said in ((["01", "--test"], "chapter 01: --test needs a test's name, or a part of it"),
                       (["01", "--tb", "nope"], "there is no traceback style nope: --tb takes one of auto, long"),
                       (["01", "--tb=nope"], "there is no traceback style nope")):  # make's TB=nope
        assert gate.main(argv) == 2
        error = capsys.readouterr().err
        assert error.startswith(said) and error.count("\n") == 1, error


@needs_make
def test_the_gate_skips_remembered_green_chapters_and_ends_with_the_one_to_finish(learner):
    learner.solve("00")
    blocked = learner.make("chapter02")
    lines = [line for line in blocked.stdout.strip().splitlines() if line.strip()]
    assert lines[-1] == "Finish chapter 01 first:  make chapter01", blocked.output[-2000:]
    assert "Chapter 02 (TokenEmbedding) builds on chapter 01 (DataLoader), which is not green" in " ".join(lines[-4:])
    learner.solve("01")
    result = learner.make("chapter01")
    assert "chapters 00: green, unchanged since they last ran (not run again)" in result.output, result.output
    assert "chapter 01 is green. Next: chapter 02 TokenEmbedding:  make chapter02" in result.output


def test_the_current_step_is_the_first_function_in_file_order_whose_tests_are_not_all_green():
    entry = chapter(6)
    functions = state.chapter_functions(entry)
    assert functions[0] == "dot_product_weights" and functions[-1] == "AttentionHead.forward", functions
    records = [  # a later step green before an earlier one: the earlier one is still the step to do
        state.test_record("t::a", "passed", kata=functions[0]),
        state.test_record("t::b", "passed", kata=functions[2]),
        state.test_record("t::c", "failed", kata=functions[1]),
        state.test_record("t::d", "passed", kata=functions[1]),
    ]
    result = state.ChapterResult("06", records)
    step = state.current_step(entry, result, "katas")
    assert (step.index, step.count, step.function) == (2, len(functions), functions[1])
    assert step.where.startswith("katas/chapter06_attention_head.py:")
    line = int(step.where.rsplit(":", 1)[1])
    assert f'write {functions[1]}"' in entry.source_file("katas").read_text(encoding="utf-8").splitlines()[line - 1]
    # functions without tests in the result count as done; the first red one is counted out
    assert state.steps_done(entry, result) == (len(functions) - 1, len(functions))
    assert state.steps_done(entry, state.ChapterResult("06", [state.test_record("t::x", "passed")])) is None


def test_the_map_draws_layers_called_the_tutorials_way_with_forward():
    """torchinfo sees a layer through the hooks of ``layer(x)``; the tutorial writes ``layer.forward(x)``."""
    import torchinfo
    from torch import nn

    from kata_tools.learner.tensor_map import forward_calls_visible

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc, self.dropout = nn.Linear(4, 3), nn.Dropout(0.1)

        def forward(self, x):
            return self.dropout.forward(self.fc.forward(x))

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks, self.head = nn.ModuleList([Block()]), nn.Linear(3, 2)

        def forward(self, x):
            for block in self.blocks:
                x = block.forward(x)
            return self.head.forward(x)

    model = Model()
    with forward_calls_visible(model):
        table = str(torchinfo.summary(model, input_data=[torch.randn(2, 4)], verbose=0, depth=4,
                                      row_settings=("var_names",)))
    for row in (r"Block \(0\)\s+\[2, 3\]", r"Linear \(fc\)\s+\[2, 3\]\s+15", r"Dropout \(dropout\)\s+\[2, 3\]",
                r"Linear \(head\)\s+\[2, 2\]\s+8"):
        assert re.search(row, table), f"{row} missing from the map:\n{table}"
    assert not any("forward" in vars(module) for module in model.modules()), "the map left its wrappers behind"
    assert model(torch.randn(2, 4)).shape == (2, 2)
