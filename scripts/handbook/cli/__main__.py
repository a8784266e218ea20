"""`python -m handbook.cli`."""

import sys

from handbook.cli.main import main

sys.exit(main())
