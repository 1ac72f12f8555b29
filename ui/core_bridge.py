"""Core queries the shell shows in more than one place (status bar, Beranda).

No business rules here: only which core call to make and how to reduce it to a figure.
"""

from __future__ import annotations

from shopdesk.profiles import Session


def listings_waiting(session: Session) -> int:
    """Products whose listing waits for upload: the largest count over the export
    targets (``shopdesk.export.service.waiting_counts``). Slow on a big shop: call it
    through ``ctx.run``."""
    from shopdesk.export.service import waiting_counts

    return max((w.waiting for w in waiting_counts(session)), default=0)
