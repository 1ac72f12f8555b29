"""ShopDesk core: an offline-first shop manager for village producers.

This package never imports Qt; the CLI, tests and scripts use it directly.
"""

APP_NAME = "ShopDesk"
APP_ID = "shopdesk"
__version__ = "0.1.0"

from shopdesk import lean_imports  # noqa: E402  (before anything imports peewee)

lean_imports.install()
