"""ShopDesk desktop front end (PySide6). Holds no business rules: it calls ``shopdesk`` services."""
