"""Pytest plugin: write every test's outcome and failure message to a JSON file.

    python -m pytest tests -p kata_tools.outcomes --outcomes-json=results.json

The file maps each test id to ``{"chapter", "outcome", "stub", "message", "kata"}``:
outcome is passed, failed or skipped; ``stub`` is true when the failure was a
stub's NotImplementedError; ``message`` is the one-line reason a learner sees;
``kata`` is the function a test checks (its ``@pytest.mark.kata`` marker).
The repository checks, the mistakes gallery, progress and grading read it,
so that none of them parses pytest's terminal output.
"""

import json
from pathlib import Path

from .chapters import chapter_of_path


def pytest_addoption(parser):
    parser.addoption("--outcomes-json", default=None, help="write per-test outcomes to this JSON file")


def failure_message(report):
    """The line a learner reads first: the assertion message or exception, without the traceback."""
    for name, value in getattr(report, "user_properties", ()):
        if name == "kata_message":  # the plugin's concept message, most specific diagnosis first
            return value.strip()
    longrepr = report.longrepr
    if isinstance(longrepr, str):
        return longrepr.strip()
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message.strip()
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # skip: (path, line, reason)
        return str(longrepr[2])
    return str(longrepr).strip().splitlines()[-1] if longrepr else ""


class OutcomeRecorder:
    def __init__(self, path):
        self.path = Path(path)
        self.results = {}

    def pytest_runtest_logreport(self, report):
        record = self.results.setdefault(report.nodeid, {"outcome": "passed", "stub": False, "message": ""})
        entry = chapter_of_path(report.nodeid.split("::")[0])
        record["chapter"] = entry.label if entry else None
        kata = next((value for name, value in report.user_properties if name == "kata"), None)
        if kata:  # the function the test checks, passed or failed: a step is done when all its tests pass
            record["kata"] = kata
        if report.failed or (report.skipped and record["outcome"] == "passed"):
            if record["outcome"] != "failed":
                record["outcome"] = "failed" if report.failed else "skipped"
                record["message"] = failure_message(report)
                record["stub"] = any(name == "stub" for name, _ in report.user_properties)
                # a problem of the machine (a corrupt corpus): never the learner's failure
                record["environment"] = any(name == "environment" for name, _ in report.user_properties)

    def pytest_sessionfinish(self, session):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.results, indent=1, sort_keys=True), encoding="utf-8")


def pytest_configure(config):
    path = config.getoption("--outcomes-json")
    if path and not hasattr(config, "workerinput"):
        config.pluginmanager.register(OutcomeRecorder(path), "kata-outcomes-recorder")
