"""Every line a learner reads is in their language: the catalogues cover every message, and a run shows it.

The messages are English msgids passed through gettext, ``_("... {got} ...").format(got=...)``, in
kata_tools/ and tests/ (and the comments of the hints' skeletons that are words). Here every one of
them must have a Chinese and a Japanese translation in kata_tools/locale/<lang>/LC_MESSAGES/kata.po
that is not fuzzy and keeps the msgid's placeholders, and the committed kata.mo files must match.

Then the proof: a chapter run on a gallery mistake under KATA_LANG=ja (chapter 06's tests) and
KATA_LANG=zh (make chapter02's gate, stopped by a mistake in chapter 01) has no line of English prose
in the tools' own text. A line is English prose when it
holds three English words in a row, once the things that stay as they are have been taken out: code
between backticks or quotes, commands (``make chapter06 TEST=...``), file paths, identifiers; the
lines that are code (the test's line, quoted), an exception as Python or torch worded it
(``IndexError: index out of range in self``, what a learner searches for) and pytest's own lines (its
header, separators, ``FAILED ...`` and the count of results) are not the tools' text.
"""

import os
import re
import subprocess
import sys

import pytest

from kata_tools.chapters import REPO_ROOT
from kata_tools.dev import messages


def test_every_message_has_its_zh_and_ja_translation_with_the_same_placeholders():
    found = messages.problems()
    assert not found, (
        f"{len(found)} messages lack a translation, or translate their placeholders differently "
        "(add them to kata_tools/locale/<lang>/LC_MESSAGES/kata.po, then make messages):\n" + "\n".join(found[:40])
    )


def test_the_compiled_catalogues_are_up_to_date():
    assert not messages.stale(), f"out of date: {messages.stale()}; run make messages"


def test_a_message_built_on_the_spot_cannot_be_looked_up(tmp_path, monkeypatch):
    source = tmp_path / "example.py"
    source.write_text('from kata_tools.i18n import _\nname = "x"\nmessage = _(f"hello {name}")\n', encoding="utf-8")
    monkeypatch.setattr(messages, "REPO_ROOT", tmp_path)
    with pytest.raises(messages.UnextractableMessage, match="string literal"):
        messages.python_msgids(source)


def test_the_check_finds_a_missing_translation_and_other_placeholders():
    found = messages.problems({"a message no catalogue has, {count} times": ["here:1"]})
    assert len(found) == 3 and all("no translation" in line for line in found), found
    translated = next(message for message in messages.read_catalogue("zh")
                      if isinstance(message.id, str) and "{" in message.id and message.string)
    assert messages.placeholders(translated.id) == messages.placeholders(translated.string)
    assert messages.placeholders("{got}") != messages.placeholders("{gotten}")
    assert messages.placeholders("{scale:.4f}") != messages.placeholders("{scale}")
    assert any("is not a name" in line for line in messages.problems({"head_{n-1}(x)": ["here:1"]}))


# ---------------------------------------------------------------- what a learner reads
_WORD = r"(?:[A-Za-z]{2,}(?:'[a-z]+)?|a)"
ENGLISH_PROSE = re.compile(rf"(?<![\w.\-/]){_WORD},?\s+{_WORD},?\s+{_WORD}(?![\w(/.\-])")
# What stays as it is in every language: code, commands, paths, identifiers.
_KEPT = [
    re.compile(r"`[^`]*`|\"[^\"]*\"|'[^'\s][^']*'"),  # between backticks or quotes
    re.compile(r"(?:\b[A-Z_]+=\S+ )*\bmake [a-z][\w-]*(?: [A-Z_]+=\S+)*"),  # make chapter06 TEST=...
    re.compile(r"\S*[/\\]\S*|\S+\.py\S*"),  # paths
    re.compile(r"\b\w*_\w*\b|\b\w+\.\w+(?:\.\w+)*\b"),  # identifiers: embedding_dim, nn.Linear, x.shape
    re.compile(r"\b(?:True|False|None)\b"),  # Python's values: [False, True, True]
]
# pytest's own lines, the same in every language
_PYTEST = re.compile(
    r"^(?:=+ .* =+|_+ .* _+|=+|_+|-+|platform |rootdir: |configfile: |plugins: |timeout|collected \d+ item|"
    r"(?:FAILED|ERROR|PASSED|SKIPPED) |tests/test_\w+\.py [.FEsx]+|[.FEsx]+ +\[ *\d+%\]|cachedir: )"
)

_EXCEPTION = re.compile(r"^(?:\w+\.)*\w*(?:Error|Exception|Interrupt|Warning): ")


def _is_code(line):
    text = line.strip()
    for attempt in (text, text + ")", text + "]", text + "\n    pass", text + " None)"):
        try:
            compile(attempt, "<line>", "exec")
            return True
        except SyntaxError:
            continue
    return False


def english_prose(output):
    """The lines of ``output`` that hold English prose in the tools' own text (see the module's docstring)."""
    found = []
    for line in output.splitlines():
        text = line.strip()
        if not text or _PYTEST.match(text) or _EXCEPTION.match(text) or _is_code(text):
            continue
        for pattern in _KEPT:
            text = pattern.sub(" ", text)
        if ENGLISH_PROSE.search(text):
            found.append(line)
    return found


def test_the_criterion_tells_english_prose_from_code_commands_and_pytest():
    assert english_prose("It matches attention with no causal mask.")
    assert english_prose("どうやら因果マスクのない attention と同じ結果です。 the output is wrong")
    assert not english_prose("どうやら因果マスクのない attention と同じ結果です：nn.Linear(embedding_dim, head_size)")
    assert not english_prose("    assert not moved, (")
    assert not english_prose("IndexError: index out of range in self")
    assert not english_prose("=========== 5 failed, 138 passed in 7.02s ===========")
    assert not english_prose("FAILED tests/test_chapter06_attention_head.py::test_a_shorter_sequence")
    assert not english_prose("次は make chapter06 TEST=test_changing_a_later_position を実行")
    assert not english_prose("softmax(mask(query_fc(x) @ key_fc(x)^T * head_size ** -0.5)) @ value_fc(x)")


def run_learner(arguments, mistake, language, tmp_path):
    """The output a learner reads: ``arguments`` run with python -m on a gallery mistake, in ``language``."""
    environment = {**os.environ, "KATA_LANG": language, "KATA_IMPL": f"gallery.mistakes.{mistake}",
                   "KATA_STATE_DIR": str(tmp_path / "state"), "COLUMNS": "100"}
    environment.pop("PYTEST_XDIST_WORKER", None)
    completed = subprocess.run([sys.executable, "-m", *arguments], cwd=REPO_ROOT, env=environment,
                               capture_output=True, text=True, timeout=300)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, f"the mistake {mistake} should fail its chapter:\n{output}"
    return output


@pytest.mark.parametrize("arguments, mistake, language, words", [
    # chapter 06's own tests, as make chapter06 shows them once chapters 00-05 are green
    (["pytest", "tests/test_chapter06_attention_head.py", "-p", "no:cacheprovider", "-p", "no:xdist"],
     "chapter06_no_causal_mask", "ja", "どうやら因果マスクのない"),
    # make chapter02 stopped by a red chapter 01: its failures, the banner, the summary and the gate's last lines
    (["kata_tools.learner.gate", "02"], "chapter01_targets_not_shifted", "zh", "先完成第 01 章"),
], ids=["ja-chapter06", "zh-gate-chapter02"])
def test_a_learner_reads_a_failing_chapter_in_their_language_from_the_first_line_to_the_last(
        arguments, mistake, language, words, tmp_path):
    output = run_learner(arguments, mistake, language, tmp_path)
    assert words in output, output
    english = english_prose(output)
    assert not english, (
        f"English under KATA_LANG={language}:\n" + "\n".join(english) + f"\n\nthe whole output:\n{output}"
    )


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_make_help_speaks_the_learners_language(language, monkeypatch):
    from kata_tools import cli

    monkeypatch.setenv("KATA_LANG", language)
    monkeypatch.setenv("KATA_RUNNER", "make")
    text = "\n".join(cli.help_lines())
    assert "make chapter00 .. make chapter12" in text and "make train" in text and "make setup" in text, text
    assert not english_prose(text), english_prose(text)
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m kata_tools help" in makefile, "make help should print the front door's list (kata_tools.cli)"
