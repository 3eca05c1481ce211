"""``python -m kata_tools.grading``: ``make grade`` (see grade.py), and the class commands.

    python -m kata_tools.grading [--fork DIR] ...            one fork (grade.py)
    python -m kata_tools.grading class --roster FILE --out DIR [--jobs N] [--shard K/N]   (classroom.py)
    python -m kata_tools.grading merge --out DIR SHARD_DIR...                              (classroom.py)
    python -m kata_tools.grading classroom grade.json        GitHub Classroom's input (autograding.py)
"""

import sys

if sys.argv[1:2] in (["class"], ["merge"]):
    from .classroom import main

    sys.exit(main(sys.argv[1:]))
if sys.argv[1:2] == ["classroom"]:
    from .autograding import main

    sys.exit(main(sys.argv[2:]))

from .grade import main  # noqa: E402

sys.exit(main())
