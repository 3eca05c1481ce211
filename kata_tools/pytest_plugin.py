"""The pytest plugin behind the chapter tests (loaded by tests/conftest.py).

A test that fails only because a stub still raises ``NotImplementedError``
is reported in one line that says what to write and where, instead of a
traceback through the test.
"""

import os
from pathlib import Path

import pytest

from .chapters import REPO_ROOT


def _relative(path):
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def stub_message(excinfo):
    """One line naming the stub that raised, or None if this is not a stub failure."""
    if excinfo is None or not excinfo.errisinstance(NotImplementedError):
        return None
    entry = excinfo.traceback[-1]
    where = f"{_relative(entry.path)}:{entry.lineno + 1}"
    message = str(excinfo.value) or "a function"
    return f"not written yet: {message}  ({where})"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        message = stub_message(call.excinfo)
        if message:
            report.longrepr = message
            report.user_properties.append(("stub", message))


def pytest_configure(config):
    # Two cores shared by pytest-xdist workers: one torch thread each avoids oversubscription.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
