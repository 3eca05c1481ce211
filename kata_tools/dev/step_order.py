"""Pytest plugin: run every chapter test twice, on its step written and on its step still a stub.

    KATA_STEP_PREFIX=steps_ python -m pytest tests -p kata_tools.dev.step_order -p kata_tools.outcomes ...

For a test tagged ``@pytest.mark.kata("scale_scores")``, the k-th function of its chapter (file
order, ``kata_tools.learner.state.chapter_functions``), the run holds two cases:

    [written]  KATA_IMPL=<prefix><label>_<k>    functions 1..k from the reference, the rest stubs
    [stub]     KATA_IMPL=<prefix><label>_<k-1>  the same, with function k a stub too

The packages are written beforehand by ``kata_tools.dev.steps.prefix_package`` (named
``<prefix><label>_<k>``), on PYTHONPATH. checks/test_steps.py reads the outcomes: every [written]
case passes (no test needs a later step) and every [stub] case fails (each test needs its own step).
Chapter modules are imported when a test reads an attribute (``kata_tools.implementation``), so
setting KATA_IMPL per test is enough.
"""

import os

import pytest

from kata_tools.chapters import chapter_of_path
from kata_tools.learner.state import chapter_functions

PREFIX_VARIABLE = "KATA_STEP_PREFIX"


def step_index(item_path, function):
    """(chapter label, 1-based index of ``function`` in its chapter); raises ValueError if unknown."""
    entry = chapter_of_path(item_path)
    if entry is None:
        raise ValueError(f"{item_path} is no chapter's test file")
    return entry.label, chapter_functions(entry).index(function) + 1


def pytest_generate_tests(metafunc):
    if "_kata_step_package" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("kata")
    if marker is None or not marker.args:
        return
    label, index = step_index(metafunc.definition.path, marker.args[0])
    prefix = os.environ.get(PREFIX_VARIABLE, "steps_")
    metafunc.parametrize("_kata_step_package", [f"{prefix}{label}_{index}", f"{prefix}{label}_{index - 1}"],
                         ids=["written", "stub"], indirect=True)


@pytest.fixture(autouse=True)
def _kata_step_package(request, monkeypatch):
    """KATA_IMPL for this case: the package with the test's step written, or with it still a stub."""
    package = getattr(request, "param", None)
    if package is not None:
        monkeypatch.setenv("KATA_IMPL", package)
        for value in vars(request.module).values():  # a test file's lru_cache holds one package's objects
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    return package
