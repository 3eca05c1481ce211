"""What a learner reads when a chapter test fails: short, the most specific thing first, pointing the right way.

The plugin is checked with pytester on small made-up chapters; whole chapters
run against wrong versions of the reference (a package whose one module has
the mistake, every other module falling through to reference/).
"""

import re
import uuid

import pytest
import torch  # noqa: F401  imported before any in-process pytester run, which would otherwise import it twice

from kata_tools import i18n
from kata_tools.chapters import REPO_ROOT, chapter
from kata_tools.learner import state
from kata_tools.runner import command
from kata_tools.testing import lead_with_diagnosis

pytest_plugins = ["pytester"]


@pytest.fixture
def state_directory(tmp_path, monkeypatch):
    directory = tmp_path / "kata-state"
    monkeypatch.setenv(state.STATE_DIRECTORY_VARIABLE, str(directory))
    monkeypatch.setenv("KATA_LANG", "en")
    return directory


def run_plugin(pytester, files, *arguments):
    pytester.makeconftest('pytest_plugins = ["kata_tools.pytest_plugin"]\n')
    for name, text in files.items():
        pytester.makepyfile(**{name.replace("test_", "test_made_up_", 1): text})
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *arguments)


def wrong_package(tmp_path, monkeypatch, changes):
    """A package like katas/ with ``changes`` ({label: [(pattern, replacement)]}) made to the reference's modules."""
    name = f"wrong_{uuid.uuid4().hex[:8]}"
    root = tmp_path / "packages" / name
    root.mkdir(parents=True)
    (root / "__init__.py").write_text(f"__path__ = [*__path__, {str(REPO_ROOT / 'reference')!r}]\n")
    for label, edits in changes.items():
        entry = chapter(label)
        source = entry.source_file("reference").read_text(encoding="utf-8")
        for pattern, replacement in edits:
            source, count = re.subn(pattern, replacement, source, flags=re.MULTILINE)
            assert count, f"{pattern!r} is not in reference/{entry.module}.py any more: update this check"
        (root / f"{entry.module}.py").write_text(source, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "packages"))
    return name


def first_failure(outcomes):
    """(test id, message) of the first failing test, in the order they ran (file order)."""
    return next((test, record["message"]) for test, record in outcomes.items() if record["outcome"] == "failed")


# ---------------------------------------------------------------- the failure text
FAILING_TESTS = '''
import torch


def test_values():
    values = torch.zeros(3)
    assert torch.allclose(values, torch.ones(3)), "values differ from the mean. It matches the unbiased variance."


def test_fine():
    pass
'''


def test_a_failure_is_the_message_with_its_diagnosis_first_then_the_test_line(pytester, state_directory):
    result = run_plugin(pytester, {"test_chapter05_layer_norm": FAILING_TESTS})
    output = result.stdout.str()
    block = re.split(r"_+ test_values _+\n", output)[1].split("short test summary")[0]
    lines = [line for line in block.strip().splitlines() if not line.startswith("=")]
    assert lines[0] == "It matches the unbiased variance. Values differ from the mean.", block
    assert "where False" not in block and "tensor([" not in block, "no assertion rewriting dumps"
    assert "test_values at " in block and "assert torch.allclose(values" in block
    assert "(the full traceback: make chapter05 TB=long)" in block
    assert len(lines) <= 8, block
    summary = output.split("---- your chapters ----")[1]
    assert "next: make the test test_values pass:  make chapter05 TEST=test_values" in summary
    assert "  It matches the unbiased variance." in summary


def test_the_full_traceback_is_one_option_away(pytester, state_directory):
    output = run_plugin(pytester, {"test_chapter05_layer_norm": FAILING_TESTS}, "--tb=long").stdout.str()
    assert "where False" in output and "def test_values" in output


def test_the_explanation_is_in_the_failure_text_itself(pytester, state_directory):
    """VS Code shows a report's longrepr, not its extra sections."""
    pytester.makeconftest(
        'pytest_plugins = ["kata_tools.pytest_plugin"]\n'
        "def pytest_runtest_logreport(report):\n"
        "    if report.failed:\n"
        "        open('longrepr.txt', 'w').write(str(report.longrepr))\n"
    )
    pytester.makepyfile(test_made_up_chapter05_layer_norm=FAILING_TESTS)
    pytester.runpytest_inprocess("-p", "no:cacheprovider")
    text = (pytester.path / "longrepr.txt").read_text()
    assert text.startswith("It matches the unbiased variance."), text


@pytest.mark.parametrize("message, expected", [
    ("output differs. It matches attention with no scale.", "It matches attention with no scale. Output differs."),
    ("shape is wrong", "shape is wrong"),
    ("variance 1, got 0.75: it looks like the unbiased variance was used: divide by C. Then more.",
     "It looks like the unbiased variance was used: divide by C. Variance 1, got 0.75. Then more."),
    ("a. It matches post-norm: x = self.ln(x + f(x)). See above.",
     "It matches post-norm: x = self.ln(x + f(x)). A. See above."),
])
def test_a_diagnosis_moves_to_the_front(message, expected):
    assert lead_with_diagnosis(message) == expected


def excinfo_of(error, statement="x = y"):
    class Entry:
        pass

    entry = Entry()
    entry.statement = statement
    entry.locals = {}
    try:
        raise error
    except type(error):
        return pytest.ExceptionInfo.from_current(), entry


@pytest.mark.parametrize("error, statement, expected, unexpected", [
    (RuntimeError("view size is not compatible with input tensor's size and stride (at least one dimension spans "
                  "across two contiguous subspaces). Use .reshape(...) instead."), "t = targets.view(B * T)",
     ".view needs", "Two shapes"),
    (RuntimeError("view size is not compatible with input tensor's size and stride"), "F.cross_entropy(a, b)",
     ".reshape", ".view needs"),
    (IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)"), "F.cross_entropy(a, b)",
     "fewer dimensions", "Two shapes"),
    (IndexError("index out of range in self"), "self.table(indices)", "embedding table", "Two shapes"),
    (RuntimeError("mat1 and mat2 shapes cannot be multiplied (12x4 and 12x4)"), "a @ b", "Two shapes", ".reshape"),
    (TypeError("cannot unpack non-iterable NoneType object"), "self.train_data, self.val_data = self.split_data()",
     "without `return`", "Two shapes"),
    (AttributeError("'DataLoader' object has no attribute 'ctoi'"), "unknown = sorted(set(text) - set(self.ctoi))",
     "self.ctoi is read but was never set", "Two shapes"),
])
def test_the_advice_in_your_code_matches_the_error(monkeypatch, error, statement, expected, unexpected):
    from kata_tools.explain import error_advice  # here: imported at the top, pytester could not rewrite it

    monkeypatch.setenv("KATA_LANG", "en")
    excinfo, entry = excinfo_of(error, statement)
    _, tip = error_advice(excinfo, entry)
    assert expected in tip and unexpected not in tip, tip


# ---------------------------------------------------------------- chapters that ran whole
TWO_TESTS = "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n"


def test_a_chapter_run_test_by_test_counts_as_whole(pytester, state_directory):
    """VS Code (and --lf) pass one test id per test: a chapter whose every test ran is whole."""
    name = "test_made_up_chapter05_layer_norm.py"
    result = run_plugin(pytester, {"test_chapter05_layer_norm": TWO_TESTS}, f"{name}::test_a", f"{name}::test_b")
    output = result.stdout.str()
    assert re.search(r"chapter 05 LayerNorm +2/2 green +(done|in progress)", output), output
    assert "only part" not in output
    assert (state_directory / "results").exists(), "a whole chapter is remembered for make progress"
    output = run_plugin(pytester, {"test_chapter05_layer_norm": TWO_TESTS}, f"{name}::test_a").stdout.str()
    assert "(only part of this chapter ran)" in output


def test_a_green_run_names_the_next_chapter(pytester, state_directory):
    output = run_plugin(pytester, {"test_chapter05_layer_norm": TWO_TESTS}).stdout.str()
    assert "chapter 05 is green. Next: chapter 06 AttentionHead:  make chapter06" in output


# ---------------------------------------------------------------- time limits
ENDLESS = '''
import pytest


def generate(count):
    while True:
        pass


def test_generate_returns():
    generate(3)


def test_generate_again():
    generate(4)


def test_fine():
    pass
'''


def test_the_first_timeout_names_the_loop_and_stops_the_chapter(pytester, state_directory, monkeypatch):
    monkeypatch.setenv("KATA_TEST_TIMEOUT", "1")
    result = run_plugin(pytester, {"test_chapter11_bigram_language_model": ENDLESS})
    output = result.stdout.str()
    assert "generate did not return within 1 s: does the loop run exactly max_new_tokens times?" in output, output
    assert "1 failed" in output and "2 skipped" in output, "the chapter's other tests wait no longer"


def test_chapter_tests_get_short_time_limits_and_training_its_own(pytester, state_directory):
    pytester.makeconftest(
        'pytest_plugins = ["kata_tools.pytest_plugin"]\n'
        "def pytest_collection_finish(session):\n"
        "    open('limits.txt', 'w').write(repr({item.name: item.get_closest_marker('timeout').args[0]\n"
        "                                       for item in session.items}))\n"
    )
    pytester.makepyfile(test_made_up_chapter12_trainer=(
        "import pytest\n\n\ndef test_unit():\n    pass\n\n\n"
        "@pytest.mark.timeout(120)\ndef test_training():\n    pass\n"
    ))
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "--co")
    limits = eval((pytester.path / "limits.txt").read_text())  # noqa: S307  written just above
    assert limits["test_training"] == 120 and 10 <= limits["test_unit"] <= 20


# ---------------------------------------------------------------- whole chapters against wrong code
def test_a_float_head_size_is_named_at_chapter_07s_line(tmp_path, monkeypatch, chapter_tests):
    package = wrong_package(tmp_path, monkeypatch, {
        "07": [(r"self\.embedding_dim // self\.num_attention_heads", "self.embedding_dim / self.num_attention_heads")],
        "04": [(r"TokenEmbedding\(vocab_size=vocab_size,",
                "TokenEmbedding(vocab_size=config.input_sequence_length,"),
               (r"PositionEmbedding\(\s*input_sequence_length=config\.input_sequence_length,",
                "PositionEmbedding(input_sequence_length=vocab_size,")],
    })
    outcomes, completed = chapter_tests(package, ("tests/test_chapter04_embedding_module.py",
                                                  "tests/test_chapter07_multi_head_attention.py"))
    ran = {test.split("::")[0]: record for test, record in outcomes.items() if record["outcome"] == "failed"}
    assert ran, completed.stdout
    fours = {test: record for test, record in outcomes.items() if "chapter04" in test}
    sevens = {test: record for test, record in outcomes.items() if "chapter07" in test}
    _, message = first_failure(fours)
    assert "swapped" in message and "(V, C)" in message, f"table shapes first, got: {message}"
    _, message = first_failure(sevens)
    assert message.startswith("head_size must be an int: use //"), message
    assigned = r"chapter07_multi_head_attention\.py:\d+: self\.head_size = self\.embedding_dim / "
    assert re.search(assigned, message), message
    assert re.search(r"MultiHeadAttention\.__init__ raised TypeError at .*chapter07_multi_head_attention\.py:\d+",
                     completed.stdout), completed.stdout[-3000:]


def test_a_missing_scale_is_not_sent_to_the_mask(chapter_tests):
    outcomes, _ = chapter_tests("gallery.mistakes.chapter06_not_scaled", (
        "tests/test_chapter06_attention_head.py::test_a_shorter_sequence_uses_the_top_left_corner_of_the_mask",))
    messages = [record["message"] for record in outcomes.values() if record["outcome"] == "failed"]
    assert messages and not any("tril[:T, :T]" in message for message in messages), messages


def test_an_endless_generate_costs_one_time_limit(tmp_path, monkeypatch, chapter_tests):
    package = wrong_package(tmp_path, monkeypatch, {
        "11": [(r"for _ in range\(max_new_tokens\):", "while True:")],
    })
    monkeypatch.setenv("KATA_TEST_TIMEOUT", "3")
    test_file = "tests/test_chapter11_bigram_language_model.py"
    outcomes, completed = chapter_tests(package, (
        f"{test_file}::test_generate_returns_the_prompt_followed_by_the_new_tokens",
        f"{test_file}::test_generate_can_write_far_past_the_block_length",
    ))
    failed = [record for record in outcomes.values() if record["outcome"] == "failed"]
    skipped = [record for record in outcomes.values() if record["outcome"] == "skipped"]
    assert len(failed) == 1 and len(skipped) == 1, completed.stdout[-3000:]
    assert failed[0]["message"] == (
        "BigramLanguageModel.generate did not return within 3 s: does the loop run exactly max_new_tokens times?"
    )
    assert "an earlier test of chapter 11 timed out" in skipped[0]["message"]


# ---------------------------------------------------------------- wrapping
@pytest.mark.parametrize("width", range(20, 70, 3))
def test_wrapping_never_breaks_inside_a_command(width):
    for name in ("make", "kata", "python"):  # make reset CHAPTER=03 CONFIRM=yes, kata reset 03 --yes, ...
        written = command("reset", name, chapter="03", confirm="yes")
        for lang in ("en", "zh"):
            text = i18n.t("reset.confirm_how", lang=lang, path="katas/chapter03_position_embedding.py", label="03",
                          command=written)
            lines = i18n.wrap(text, width)
            assert any(written in line for line in lines), lines


# ---------------------------------------------------------------- the machine's problems are not the learner's
CORPUS_TEST = '''
from kata_tools.testing import environment_problem


def test_reads_the_corpus():
    environment_problem("the corpus data/input.txt is corrupt: run `make data` to fetch it again")


def test_other():
    pass
'''


def test_a_corrupt_corpus_is_never_recorded_as_the_learners_failure(pytester, state_directory):
    output = run_plugin(pytester, {"test_chapter01_data_loader": CORPUS_TEST}).stdout.str()
    assert "not your code: the corpus data/input.txt is corrupt: run `make data`" in output, output
    assert "make hint" not in output
    assert not (state_directory / "results").exists(), "nothing remembered for make progress or make hint"


def test_a_new_corpus_invalidates_the_results_that_read_it(tmp_path, monkeypatch):
    corpus = tmp_path / "input.txt"
    corpus.write_text("one")
    first = state.corpus_digest(corpus)
    corpus.write_text("two!")
    assert state.corpus_digest(corpus) != first
    keys = {label: state.chapter_key(chapter(label), "reference") for label in ("01", "02")}
    monkeypatch.setattr(state, "corpus_digest", lambda path=None: "another corpus")
    assert state.chapter_key(chapter(1), "reference") != keys["01"], "chapter 01's tests read the corpus"
    assert state.chapter_key(chapter(2), "reference") == keys["02"], "chapter 02's do not"


# ---------------------------------------------------------------- the README's examples are the repository's
def test_the_readmes_example_summary_has_the_repositorys_numbers():
    """The example is what a learner at chapter 06, step 3 sees, generated by kata_tools.dev.steps."""
    from kata_tools.dev import steps

    entry = chapter(steps.EXAMPLE_CHAPTER)
    functions = state.chapter_functions(entry)
    function = functions[steps.EXAMPLE_STEP - 1]
    summary = steps.example_summary("en")
    written = steps.EXAMPLE_STEP - 1
    assert f"step {steps.EXAMPLE_STEP} of {len(functions)}: {function}" in summary, summary
    tagged = [name for name in re.findall(r'@pytest\.mark\.kata\("([^"]+)"\)', entry.test_file.read_text())]
    green = sum(1 for name in tagged if name in functions[:written])
    assert re.search(rf"AttentionHead +{green}/{len(tagged)} green", summary), (summary, green, len(tagged))
    stub_line = re.search(r"chapter06_attention_head\.py:(\d+)", summary).group(1)
    assert steps.stale_readmes() == [], "the READMEs' example summary is stale: run python -m kata_tools.dev.steps"
    for name in ("README.md", "README.zh.md", "README.ja.md"):
        text = (REPO_ROOT / name).read_text(encoding="utf-8")
        lines = re.findall(rf"{function}\W+\(?（?katas/chapter06_attention_head\.py:(\d+)", text)
        assert lines and set(lines) == {stub_line}, (
            f"{name} points at {function} at katas/chapter06_attention_head.py:{sorted(set(lines))}; "
            f"a learner at step {steps.EXAMPLE_STEP} has its stub at line {stub_line}"
        )


def test_the_gate_speaks_kata_lang_and_chapter_titles_follow(monkeypatch):
    monkeypatch.setenv("KATA_LANG", "zh")
    assert i18n.t("gate.finish", label="06", command=command("chapter06")) == "先完成第 06 章：make chapter06"
    assert i18n.title(chapter(0)) == "热身" and i18n.title(chapter(6)) == "AttentionHead"


# ---------------------------------------------------------------- the right pointer, once
def failures_section(stdout):
    """The lines pytest prints under FAILURES, up to the short summary."""
    lines = stdout.splitlines()
    start = next((index for index, line in enumerate(lines) if "FAILURES" in line), len(lines))
    stop = next((index for index, line in enumerate(lines) if "short test summary" in line), len(lines))
    return lines[start:stop]


def test_a_given_line_that_raises_points_at_the_learners_function_that_called_it(tmp_path, monkeypatch,
                                                                                   chapter_tests):
    # a typo in __init__ (self.ctio) surfaces in encode's given check of self.ctoi: the fault is __init__'s
    package = wrong_package(tmp_path, monkeypatch, {
        "01": [(r"self\.ctoi = char_to_id\(characters\)", "self.ctio = char_to_id(characters)"),
               (r"self\.data = data_tensor\(text, self\.ctoi\)",
                "self.data = torch.tensor(self.encode(text), dtype=torch.long)")],
    })
    outcomes, completed = chapter_tests(package, ("tests/test_chapter01_data_loader.py",),
                                        ("-k", "DataLoader or encode"))
    assert any(record["outcome"] == "failed" for record in outcomes.values()), completed.stdout[-3000:]
    assert "DataLoader.__init__ raised AttributeError" in completed.stdout, completed.stdout[-3000:]
    assert "DataLoader.encode raised" not in completed.stdout, completed.stdout[-3000:]


def test_one_typo_is_shown_once_however_many_tests_it_fails(tmp_path, monkeypatch, chapter_tests):
    package = wrong_package(tmp_path, monkeypatch, {
        "06": [(r"keys = self\.key_fc\(input_tensor\)", "keys = self.key_fc(input_tensr)")],
    })
    outcomes, completed = chapter_tests(package, ("tests/test_chapter06_attention_head.py",))
    failed = [test for test, record in outcomes.items() if record["outcome"] == "failed"]
    assert len(failed) > 5, completed.stdout[-3000:]
    section = failures_section(completed.stdout)
    assert "\n".join(section).count("AttentionHead.forward raised NameError") == 1, "\n".join(section)
    assert "more test(s) in this run" in "\n".join(section), "\n".join(section)
    assert len(section) <= 20, f"{len(failed)} failures from one typo took {len(section)} lines:\n" + "\n".join(section)
    summary = completed.stdout[completed.stdout.find("short test summary"):]
    assert summary.count("FAILED") == 1, summary


def test_heads_in_a_plain_list_are_never_blamed_on_dropout(chapter_tests):
    outcomes, completed = chapter_tests("gallery.mistakes.chapter07_heads_in_a_plain_list",
                                        ("tests/test_chapter07_multi_head_attention.py",))
    messages = [record["message"] for record in outcomes.values() if record["outcome"] == "failed"]
    assert messages, completed.stdout[-3000:]
    assert all("ModuleList" in message for message in messages), messages


def test_a_matrix_in_a_message_prints_row_by_row_aligned():
    from kata_tools.testing import format_tensor

    text = format_tensor(torch.arange(64.0).reshape(1, 8, 8) - 10)
    lines = text.splitlines()
    assert len(lines) == 8 and len({len(line.rstrip(",]")) for line in lines}) == 1, text
    assert lines[0].startswith("[[[") and lines[1].startswith("  [") and lines[-1].endswith("]]]"), text
    assert "-10.00" in lines[0] and "  53.00]]]" in lines[-1], text
