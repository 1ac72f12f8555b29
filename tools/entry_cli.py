"""Frozen entry point of the console CLI."""

import sys

if __name__ == "__main__":
    # An export's photo workers (and their resource tracker) start fresh processes from this
    # executable: only those need multiprocessing at start (15 ms of every command otherwise).
    if "--multiprocessing-fork" in sys.argv or "-c" in sys.argv:
        import multiprocessing

        multiprocessing.freeze_support()
    from shopdesk.cli import main

    sys.exit(main())
