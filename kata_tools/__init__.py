"""The tools around the lessons; nothing in here is part of the curriculum a learner writes.

- the chapter list, read from ``curriculum.toml`` (``chapters``), and what is
  generated from it (``curriculum``);
- what the test process imports: the implementation switch (``implementation``,
  ``KATA_IMPL``), the test helpers (``testing``), the pytest plugin and its
  outcomes (``pytest_plugin``, ``outcomes``), the messages in en/zh/ja (``i18n``);
- the learner's commands: the chapter gate (``gate``), progress, next, watch,
  hints, solution, reset and the tensor map (``learn`` and the modules it calls);
- training: ``train``, ``generate``, ``bench``;
- grading: ``grading/`` (the judge, the sandbox and its worker, reports, the manifest);
- maintenance: kata generation (``katagen``), the mistakes gallery
  (``mistakes``), the gate's benchmark (``bench_gate``).
"""
