"""Frozen entry point of the windowed app."""

import sys

from ui.app import main

sys.exit(main())
