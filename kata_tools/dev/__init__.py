"""The maintainers' tools: kata generation (``make katas``), the gallery runner (``make mistakes``),
the chapter-gate benchmark (``make bench-gate``) and the README tables from curriculum.toml
(``make curriculum``). Nothing here is imported by a learner's test run."""
