"""``python -m homelab``."""

import sys

from homelab.cli import main

sys.exit(main())
