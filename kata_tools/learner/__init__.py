"""The learner's tools: the chapter gate, progress, hints, watch, solution, reset and the tensor map.

``kata_tools.learner.cli`` is the ``progress / next / watch / hint / solution / reset / map`` command
line; the front door (``kata``, ``python -m kata_tools``, ``make``) calls it.
"""
