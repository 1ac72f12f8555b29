"""Frozen entry point of the console CLI."""

import sys

from shopdesk.cli import main

sys.exit(main())
