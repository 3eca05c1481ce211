"""kata_tools/dev/katagen.py: solution regions become stubs that name their function."""

import pytest

from kata_tools.dev.katagen import MarkerError, stub_source

REFERENCE = '''"""Doc."""


class Head:
    """A head."""

    def forward(self, x):
        """Shapes."""
        given = x
        # BEGIN SOLUTION
        return given * 2
        # END SOLUTION
'''


def test_a_region_becomes_one_stub_line_naming_class_and_method():
    kata = stub_source(REFERENCE, "06")
    assert 'raise NotImplementedError("chapter 06: write Head.forward")' in kata
    assert "given * 2" not in kata and "SOLUTION" not in kata
    assert '"""Shapes."""' in kata and "given = x" in kata, "docstrings and given code are kept verbatim"


@pytest.mark.parametrize(
    "broken, complaint",
    [
        (REFERENCE.replace("        # END SOLUTION\n", ""), "never closed"),
        (REFERENCE.replace("        # BEGIN SOLUTION\n", ""), "without"),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", "inside a function"),
    ],
)
def test_malformed_markers_are_reported_with_their_line(broken, complaint):
    with pytest.raises(MarkerError, match=complaint):
        stub_source(broken, "06")
