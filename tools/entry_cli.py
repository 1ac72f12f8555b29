"""Frozen entry point of the console CLI."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The photo workers of an export start fresh processes from this executable.
    multiprocessing.freeze_support()
    from shopdesk.cli import main

    sys.exit(main())
