"""``python -m kata_tools``: the front door (kata_tools.cli) from a checkout, with nothing installed."""

import sys

from kata_tools.cli import main

sys.exit(main(runner_name="python"))
