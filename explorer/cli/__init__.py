"""The ``lvzhi`` command line.

Every command prints a clear one-line error and exits non-zero on failure; every listing
command takes ``--json``. ``lvzhi`` alone opens the explorer.
"""

from lvzhi.cli.base import COMMANDS, plural
from lvzhi.cli.main import build_parser, completion_script, main

__all__ = ["COMMANDS", "build_parser", "completion_script", "main", "plural"]
