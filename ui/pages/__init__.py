"""Pages of the main window; each is a ``ui.pages.base.Page`` built with the ``AppContext``."""
