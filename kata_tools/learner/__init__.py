"""The learner's tools: the chapter gate, progress, hints, watch, solution, reset and the tensor map.

``python -m kata_tools.learner`` is the ``make progress / next / watch / hint / solution / reset / map``
command line (kata_tools.learner.cli).
"""
