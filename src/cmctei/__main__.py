"""Allow ``python -m cmctei``."""

import sys

from cmctei.cli import main

sys.exit(main())
