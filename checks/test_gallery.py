"""The tests catch the classic mistakes and accept every correct solution.

gallery/mistakes holds wrong implementations, one classic mistake each;
gallery/alternatives holds correct ones written differently from the
reference. Here every mistake must turn its own chapter's tests red, with a
message that contains the words the entry declares, and every alternative
must pass its chapter and every later chapter. One interpreter per two
chapters runs their entries (kata_tools/dev/mistakes.py), so the torch import is
paid once per two chapters, and pytest-xdist runs them side by side.
"""

import warnings

import pytest

from kata_tools.chapters import CHAPTERS
from kata_tools.dev.gallery_report import readme_problems
from kata_tools.dev.mistakes import entries, judge, known_gaps, run_batch, surprises

MISTAKES = entries("mistake")
ALTERNATIVES = entries("alternative")
# Chapters where learners go wrong in more ways than three: the gallery holds more mistakes for them.
RICH_CHAPTERS = {"05", "06", "09", "11", "12"}


def run_and_judge(selected):
    results = run_batch(selected, threads=1)
    return [judge(entry, results[entry.package]) for entry in selected]


def test_every_chapter_has_its_mistakes():
    counts = {entry.label: 0 for entry in CHAPTERS[1:]}
    for mistake in MISTAKES:
        counts[mistake.chapter.label] += 1
    too_few = {label: count for label, count in counts.items() if count < (4 if label in RICH_CHAPTERS else 3)}
    assert not too_few, (
        f"chapters with too few mistakes in gallery/mistakes (3 each, more for {sorted(RICH_CHAPTERS)}): {too_few}"
    )


# Two chapters per interpreter: every interpreter pays about two seconds of torch import.
CHAPTER_PAIRS = [CHAPTERS[index : index + 2] for index in range(1, len(CHAPTERS), 2)]


@pytest.mark.parametrize("pair", CHAPTER_PAIRS, ids=[f"{pair[0].label}-{pair[-1].label}" for pair in CHAPTER_PAIRS])
def test_chapter_tests_catch_every_mistake_and_accept_every_alternative(pair):
    """Each mistake against its own chapter's tests; each alternative against its chapter's and every later one's."""
    labels = {entry.label for entry in pair}
    mistakes = [entry for entry in MISTAKES if entry.chapter.label in labels]
    alternatives = [entry for entry in ALTERNATIVES if entry.chapter.label in labels]
    verdicts = run_and_judge(mistakes + alternatives)
    not_caught = surprises([verdict for verdict in verdicts if verdict.entry.kind == "mistake"])
    rejected = surprises([verdict for verdict in verdicts if verdict.entry.kind == "alternative"])
    assert not not_caught and not rejected, "\n".join(
        (["each mistake must turn its own chapter's tests red, with a message naming the concept; these do not:",
          *not_caught] if not_caught else [])
        + (["these correct implementations are rejected by the tests of their chapter or a later one "
            "(a learner who wrote them would be told they are wrong):", *rejected] if rejected else [])
    )
    for verdict in known_gaps(verdicts):
        warnings.warn(f"known gap, {verdict.entry.package}: {verdict.entry.known_gap}", stacklevel=1)
    stale = readme_problems(verdicts)
    assert not stale, (
        "README.md's mistakes table is out of date (run `make gallery-readme`); rows missing or changed:\n"
        + "\n".join(stale)
    )
