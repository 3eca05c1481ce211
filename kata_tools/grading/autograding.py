"""grade.json as the input of GitHub Classroom's autograding reporter.

    python -m kata_tools.grading classroom grade.json [--json]

GitHub Classroom's ``classroom-resources/autograding-grading-reporter``
reads one result per runner from the environment variable ``<RUNNER>_RESULTS``:
base64 of a JSON object ``{"version": 1, "status": "pass"|"fail"|"error",
"max_score": N, "tests": [{"name", "status", "message", "line_no", "score"}]}``.
The Classroom dashboard shows the sum of the tests' ``score`` out of
``max_score``, so each chapter is one test whose score is the chapter's
points. This prints that base64 text (``--json``: the JSON itself), for
``echo "result=$(...)" >> "$GITHUB_OUTPUT"``. A grade.json that is missing,
unreadable or "not graded" gives an "error" result worth 0, never a crash.
"""

import argparse
import base64
import json
import math
import sys
from pathlib import Path

MAX_MESSAGE = 300
MAX_GRADE_BYTES = 8 * 1024 * 1024


def _clean(text, limit=MAX_MESSAGE):
    text = "".join(character if character.isprintable() else " " for character in str(text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value):
    """A finite number of points, else 0 (JSON has no NaN or Infinity: the reporter could not read them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float
        return 0.0
    return value if math.isfinite(value) else 0.0


def runner_result(grade):
    """The reporter's result object for ``grade`` (grade.json's content, or None when there is none)."""
    if not isinstance(grade, dict) or grade.get("status") != "graded" or not isinstance(grade.get("chapters"), dict):
        problems = grade.get("problems") if isinstance(grade, dict) else None
        why = "; ".join(map(str, problems)) if isinstance(problems, list) and problems else "no grade.json"
        max_score = _number(grade.get("max_points")) if isinstance(grade, dict) else 0.0
        return {"version": 1, "status": "error", "max_score": max_score or 100,
                "tests": [{"name": "grading ran", "status": "error", "score": 0, "line_no": 0,
                           "message": _clean(f"grading did not run: {why}")}]}
    tests = []
    for label, chapter in grade["chapters"].items():
        if not isinstance(chapter, dict):
            continue
        points, maximum = _number(chapter.get("points")), _number(chapter.get("max_points"))
        passed, total = chapter.get("passed"), chapter.get("total")
        complete = isinstance(total, int) and total > 0 and passed == total
        tests.append({"name": _clean(f"chapter {label} {chapter.get('title', '')}".strip(), 80),
                      "status": "pass" if complete else "fail", "score": points, "line_no": 0,
                      "message": _clean(f"{passed} of {total} checks passed, {points:g} of {maximum:g} points")})
    max_score = sum(_number(chapter.get("max_points")) for chapter in grade["chapters"].values()
                    if isinstance(chapter, dict))
    every = bool(tests) and all(test["status"] == "pass" for test in tests)
    return {"version": 1, "status": "pass" if every else "fail", "max_score": max_score, "tests": tests}


def encode(result):
    """The base64 text the reporter decodes (of the JSON, UTF-8)."""
    return base64.b64encode(json.dumps(result, ensure_ascii=False).encode("utf-8")).decode("ascii")


def read_grade(path):
    """grade.json's content, or None when it is missing, too large or not JSON."""
    try:
        with open(path, "rb") as file:
            content = file.read(MAX_GRADE_BYTES + 1)
        return None if len(content) > MAX_GRADE_BYTES else json.loads(content.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return None


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grading classroom",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("grade", type=Path, help="grade.json, as make grade writes it")
    parser.add_argument("--json", action="store_true", help="print the JSON rather than its base64")
    arguments = parser.parse_args(argv)
    result = runner_result(read_grade(arguments.grade))
    print(json.dumps(result, indent=1, ensure_ascii=False) if arguments.json else encode(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
