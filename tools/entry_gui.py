"""Frozen entry point of the windowed app."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The photo workers of an export start fresh processes from this executable.
    multiprocessing.freeze_support()
    from ui.app import main

    sys.exit(main())
