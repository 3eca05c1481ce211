"""Tooling around the lessons: choosing the implementation under test, generating
the katas from the reference, gating chapters, and (later) progress and grading.

Nothing in here is part of the curriculum a learner writes.
"""
