"""The solved curriculum: one module per chapter, laid out exactly like ``katas/``.

Maintainers test it with ``KATA_IMPL=reference``; ``katas/`` is generated
from it (``make katas``), with every ``# BEGIN SOLUTION`` region replaced by
a stub.
"""
