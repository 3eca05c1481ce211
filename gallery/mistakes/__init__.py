"""Wrong implementations, one classic mistake each: the chapter tests must turn red on every one.

Each package here holds one chapter module with one mistake that learners
really make; its ``__init__.py`` names the mistake (``MISTAKE``) and the words
the failure message must contain (``EXPECTED_WORDS``), so that the test a
learner sees names the concept, not just "assert False". ``make mistakes``
prints which test catches each and what it says.
"""
