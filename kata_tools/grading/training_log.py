"""The training log's report lines, read one way by the chapter's tests and by the judge.

``Trainer.train`` prints a report at every evaluation, in the tutorial's
words ``Step 0: Train Loss 2.3080, Validation Loss 2.3095``. A line is a
report when it names a step and two decimal numbers follow: the first two
after the step are the train and validation losses, whatever else the line
carries (a prefix, a learning rate at the end, other words). Other lines (a
progress line without two losses, a banner) are not reports.

``tests/test_chapter12_trainer.py`` and the judge (``probes.py`` sends the
printed text back, ``checks.py`` reads it) both use ``reports``: what the
tests accept, the judge accepts. This file imports nothing of the project's.
"""

import re

REPORT_LINE = re.compile(r"step\s+(\d+)\D+?(\d+\.\d+)\D+?(\d+\.\d+)", re.IGNORECASE)
MAX_LINE_CHARACTERS = 2000  # a report is one short line; longer ones are not read


def reports(printed):
    """[(step, train loss, validation loss)] of the report lines in ``printed``, in order.

    ``printed``: the text ``train`` printed (str). Lines over
    ``MAX_LINE_CHARACTERS`` are skipped, so that the regular expression
    never works on unbounded text.
    """
    found = []
    for line in printed.splitlines():
        match = REPORT_LINE.search(line) if len(line) <= MAX_LINE_CHARACTERS else None
        if match:
            found.append((int(match.group(1)), float(match.group(2)), float(match.group(3))))
    return found
