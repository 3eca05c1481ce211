"""Grading: a judge in its own process, the student's katas in a bubblewrap sandbox.

    judge.py     decides every point: makes each check's inputs, computes the
                 reference's outputs itself, compares the student's with them
    checks.py    the checks of every chapter: their inputs, and which comparison judges each
    compare.py   the comparisons: shapes, values with a tolerance, dropout, sampling
    probes.py    what runs a chapter on given inputs (in the sandbox, and on reference/)
    worker.py    the sandbox's side: imports the student's chapters, runs the probes
    wire.py      the plain data between them: JSON and .npy, never pickle; the one bounded
                 reader of everything that comes out of the sandbox
    sandbox.py   bubblewrap, limits, seccomp, the copy of katas/**/*.py
    grade.py     ``make grade``: scoring and exit statuses (``grade_fork``); reports.py writes
                 the files into the grader's output folder, student text escaped
    manifest.py  the checksums of what a graded run loads (``make manifest``)
    bench.py     ``make bench-grade``: how long a solved fork takes to grade; CLASS=K, a class
    classroom.py ``make grade-class``: a roster's forks fetched and graded into one gradebook;
                 shards and their merge
    class_summary.py  the class's distribution and chapter pass rates: a table and summary.png
    autograding.py    grade.json as the input of GitHub Classroom's autograding reporter
"""
