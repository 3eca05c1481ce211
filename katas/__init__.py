"""Your work: one module per chapter. Replace each ``raise NotImplementedError``.

Run ``make chapter00`` (or ``kata chapter00``, or ``python -m kata_tools chapter00``) to
start; ``make chapterNN`` checks chapter NN once every earlier chapter is green.
"""
