"""Shared fixtures of the chapter tests. The plugin does the reporting."""

import pytest
import torch

from data.tinyshakespeare import CorpusError, load_text
from kata_tools.testing import environment_problem

pytest_plugins = ["kata_tools.pytest_plugin"]


@pytest.fixture(scope="session")
def shakespeare_text():
    """The verified tiny-Shakespeare corpus; fails (not skips) with the fix when it is missing."""
    try:
        return load_text()
    except CorpusError as error:
        environment_problem(str(error))  # never recorded as the learner's failure


@pytest.fixture(autouse=True)
def seeded_torch():
    """Every test starts from the same random state."""
    torch.manual_seed(0)
