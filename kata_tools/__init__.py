"""The tools around the lessons; nothing in here is part of the curriculum a learner writes.

Every command goes through one front door, ``kata`` (``python -m kata_tools`` in a checkout with
nothing installed; each Makefile target is one call of it): ``cli``, with ``runner``, which writes
a command the way the learner runs things (make, kata, python -m kata_tools or a notebook).

Grouped by who uses them:

- the core, at this level, is what a learner's test run imports: the chapter list read from
  ``curriculum.toml`` (``chapters``), the implementation switch ``KATA_IMPL`` (``implementation``),
  the test helpers (``testing``), the pytest plugin and its outcomes (``pytest_plugin``,
  ``outcomes``) and the messages in en/zh/ja (``i18n``);
- ``learner/``: the learner's commands: the chapter gate, progress, next, watch, hints, solution,
  reset and the tensor map (``kata progress`` and the rest, ``make progress``);
- ``grading/``: the judge, the bubblewrap sandbox and its worker, scoring, reports, the manifest;
- ``training/``: recipes, checkpoints, the training loop (``make train``), sampling
  (``make generate``) and the recipe benchmark (``make bench``);
- ``dev/``: the maintainers' tools: kata generation (``make katas``), the gallery runner
  (``make mistakes``), the gate's benchmark (``make bench-gate``), the README tables (``make curriculum``).
"""
