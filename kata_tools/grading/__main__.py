"""``python -m kata_tools.grading``: ``make grade`` (see grade.py)."""

import sys

from .grade import main

sys.exit(main())
