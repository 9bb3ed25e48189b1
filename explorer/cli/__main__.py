"""``python -m lvzhi.cli``: the lvzhi command line."""

import sys

from lvzhi.cli.main import main

sys.exit(main())
