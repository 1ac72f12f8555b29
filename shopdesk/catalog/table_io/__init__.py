"""Import the catalog from CSV/XLSX (preview first, then all or nothing) and
export products and stock with the same column names.

Rows sharing a ``name`` with ``variant_name``/``variant_option`` are variants
of one product. A row whose SKU exists in the shop updates that variant (empty
cells leave values as they are); other rows create products, and their
``stock`` is booked as opening stock through the stock ledger. The stock of
existing variants is never changed by an import: that is a stocktake.

``planning`` checks and plans (the preview), ``applying`` writes the plan,
``exporting`` writes the tables, ``columns`` names what both read and write.
"""

from shopdesk.catalog.table_io.applying import apply_import
from shopdesk.catalog.table_io.columns import (
    ALIASES,
    COLUMNS,
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
)
from shopdesk.catalog.table_io.exporting import (
    STOCK_COLUMNS,
    export_format,
    export_products,
    export_stock,
)
from shopdesk.catalog.table_io.planning import (
    ImportPreview,
    ImportResult,
    PreviewRow,
    preview_import,
)

__all__ = [
    "ALIASES",
    "COLUMNS",
    "CREATE",
    "REJECT",
    "STOCK_COLUMNS",
    "UNCHANGED",
    "UPDATE",
    "ImportPreview",
    "ImportResult",
    "PreviewRow",
    "apply_import",
    "export_format",
    "export_products",
    "export_stock",
    "preview_import",
]
