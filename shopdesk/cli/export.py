"""export and bundle verify|set-url|show|waiting: see ``shopdesk.export.cli``."""

from __future__ import annotations

from shopdesk.export.cli import register

__all__ = ["register"]
