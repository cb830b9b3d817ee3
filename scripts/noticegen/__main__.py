"""`python -m noticegen`: the `notice` command."""

import sys

from noticegen.cli import main

sys.exit(main())
