"""``python -m policydiff`` runs the command line."""

import sys

from policydiff.cli import main

sys.exit(main())
