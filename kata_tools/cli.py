"""The ``kata`` command (pyproject.toml's console script): ``kata chapterNN`` runs chapter NN's gate.

A placeholder with one command, so that ``pip install -e .`` and ``uv sync`` have a ``kata`` to
install; the full front door (``kata next``, ``kata watch``, ...) replaces this module.
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or not argv[0].startswith("chapter"):
        print("usage: kata chapterNN [--test NAME]", file=sys.stderr if argv and argv[0] not in ("-h", "--help")
              else sys.stdout)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    from kata_tools.chapters import REPO_ROOT
    from kata_tools.learner import gate
    from kata_tools.learner.cli import run

    os.chdir(REPO_ROOT)  # the gate works on this checkout, from wherever `kata` is called
    return run(gate.main, [argv[0].removeprefix("chapter"), *argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
