"""``make requirements``: write requirements.txt and requirements-dev.txt from pyproject.toml.

pyproject.toml is the one list of dependencies: the learner's in ``[project] dependencies``,
the maintainers' tools in the ``dev`` dependency group. pip reads neither without installing
the project, so ``make setup`` (pip) installs requirements.txt and ``make test`` adds
requirements-dev.txt; both are written here, and checks/test_packaging.py fails when they
no longer match pyproject.toml.

    python -m kata_tools.dev.requirements           rewrite both files
    python -m kata_tools.dev.requirements --check   exit 1, naming the stale file, if one differs
"""

import sys

from kata_tools.chapters import REPO_ROOT, tomllib

PYPROJECT = REPO_ROOT / "pyproject.toml"
LEARNER = REPO_ROOT / "requirements.txt"
DEV = REPO_ROOT / "requirements-dev.txt"

_HEADER = """\
# Generated from pyproject.toml by `make requirements`: edit pyproject.toml, not this file.
"""


def expected_files(pyproject=PYPROJECT):
    """{path: text} of requirements.txt and requirements-dev.txt as pyproject.toml lists them."""
    with open(pyproject, "rb") as file:
        data = tomllib.load(file)
    learner = data["project"]["dependencies"]
    dev = data["dependency-groups"]["dev"]
    return {
        LEARNER: _HEADER + "# What a learner needs (`make setup`). torch: `make setup` installs it first,\n"
                           "# the CPU build on Linux (TORCH_VERSION, TORCH_INDEX in the Makefile),\n"
                           "# or reuses yours (USE_SYSTEM_TORCH=yes).\n"
                 + "".join(f"{requirement}\n" for requirement in learner),
        DEV: _HEADER + "# The maintainers' tools, installed by `make test` and CI on top of the learner's.\n"
             + "-r requirements.txt\n" + "".join(f"{requirement}\n" for requirement in dev),
    }


def stale():
    """The generated files that differ from what pyproject.toml says."""
    return [path for path, text in expected_files().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        paths = stale()
        for path in paths:
            print(f"{path.name} does not match pyproject.toml: run `make requirements`", file=sys.stderr)
        return 1 if paths else 0
    for path, text in expected_files().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
