"""Texts of the ``shopdesk labels`` commands, kept with the labels area.

They are marked here with ``N_`` so that they live in ``labels.po`` and are
translated with ``_`` where the CLI shows them.
"""

from __future__ import annotations

from shopdesk.i18n import N_

GROUP_HELP = N_("labels, QR codes and barcodes: print on sheets or thermal rolls")
PAPERS_HELP = N_("list the label papers (sheets and rolls)")
DESIGNS_HELP = N_("list the label designs")
PRINT_HELP = N_("print labels of products to a PDF (or TSPL for a thermal printer)")
CALIBRATE_HELP = N_("print a calibration page, or save a printer's offset for a paper")
IMPORT_HELP = N_("add papers from a gLabels 3 template file")
ADD_PAPER_HELP = N_("add a paper from your own measurements")
ASSIGN_HELP = N_("give in-store EAN-13 barcodes (starting with 2) to variants without one")

PAPER_ARG = N_("paper id, see: shopdesk labels papers (default: the shop's paper)")
DESIGN_ARG = N_("design: packaging, price-tag, shelf-card or qr-sticker")
SKU_ARG = N_("SKU to print; repeat for several products")
BATCH_ARG = N_("production code of a batch: one label per unit made, with its dates")
COPIES_ARG = N_("labels per product (default 1, or one per unit of the batch)")
SKIP_ARG = N_("labels already used on the first sheet; printing starts after them")
QR_ARG = N_("what the QR code carries: whatsapp, listing, info or vcard")
PRINTER_ARG = N_("printer name, for its calibration offset")
TSPL_ARG = N_("write raw TSPL for a thermal label printer instead of a PDF")
DPI_ARG = N_("thermal printer resolution (default: the paper's, else 203)")
OUTLINES_ARG = N_("draw the label outlines (cut lines for a print shop)")
STRICT_ARG = N_("write nothing when there are warnings")
OUTPUT_ARG = N_("file to write")
X_ARG = N_("move the print right by this many mm (negative: left)")
Y_ARG = N_("move the print down by this many mm (negative: up)")
PART_ARG = N_("import only this part number; repeat for several")
ALL_ARG = N_("also list the papers of every seller-defined and imported file")
DRY_RUN_ARG = N_("show the numbers without saving them")
ASSIGN_SKU_ARG = N_("only this SKU; repeat for several (default: every variant without a barcode)")
ADD_ID_ARG = N_("short id for the paper, like my-2x5")
ADD_NAME_ARG = N_("name shown in lists")
ADD_PAGE_ARG = N_("page size in mm, like 165x215")
ADD_LABEL_ARG = N_("label size in mm, like 64x32")
ADD_GRID_ARG = N_("columns x rows, like 2x6")
ADD_FIRST_ARG = N_("left and top edge of the first label in mm, like 17,6.5")
ADD_GAP_ARG = N_("gap between labels across and down in mm, like 3,2 (default 0,0)")
ADD_CORNER_ARG = N_("corner radius in mm")
ADD_MARGIN_ARG = N_("blank margin inside each label in mm")
ADD_ROLL_ARG = N_("a thermal roll: one label per page")

NO_PRICE_ARG = N_("leave the price off")
NO_QR_ARG = N_("leave the QR code off")
NO_BARCODE_ARG = N_("leave the barcode off")

# Names of the shipped designs, by id (the JSON files hold the English ones).
DESIGN_NAMES = {
    "packaging": N_("Packaging label (food)"),
    "price-tag": N_("Price tag"),
    "shelf-card": N_("Shelf card with QR"),
    "qr-sticker": N_("QR sticker"),
}
DESIGN_DESCRIPTIONS = {
    "packaging": N_(
        "Name, netto, Komposisi, producer, P-IRT, halal mark, production code and date, "
        "best before; optional price, QR and barcode."
    ),
    "price-tag": N_("Name, variant, price and a barcode (EAN-13, or Code 128 of the SKU)."),
    "shelf-card": N_(
        "Name, price and a large QR code (WhatsApp order, or what you choose), "
        "captioned with what it holds."
    ),
    "qr-sticker": N_("A QR code (listing page, else WhatsApp order) with the product name."),
}

COL_ID = N_("Id")
COL_NAME = N_("Name")
COL_PAGE = N_("Page (mm)")
COL_LABEL = N_("Label (mm)")
COL_COUNT = N_("Per page")
COL_NOTE = N_("Note")
COL_DESCRIPTION = N_("Description")
COL_SKU = N_("SKU")
COL_BARCODE = N_("Barcode")

CHECK_PACK = N_("check the sizes against your pack")
WARNINGS_TITLE = N_("Warnings (check before printing):")
STRICT_STOP = N_("Nothing was written because of the warnings above (--strict).")
WROTE_PDF = N_("Wrote {labels} labels on {pages} pages to {path}.")
WROTE_TSPL = N_("Wrote TSPL for {labels} labels to {path}; send it to the printer as a raw file.")
OFFSET_SAVED = N_("Saved the offset for {paper} on {printer}: x {x} mm, y {y} mm.")
CALIBRATION_WRITTEN = N_("Wrote the calibration page for {paper} to {path}.")
IMPORTED = N_("Added {count} papers to {folder}.")
SKIPPED = N_("Left out {part}: {reason}")
PAPER_SAVED = N_("Saved the paper {id} to {path}. Print a calibration page to check it.")
BAD_PAIR = N_("“{text}” must be two numbers in mm, like {example}.")
ASSIGNED = N_("{count} variants got an in-store barcode.")
WOULD_ASSIGN = N_("{count} variants would get an in-store barcode (nothing saved).")
NONE_TO_ASSIGN = N_("Every variant already has a barcode.")
NEED_OUTPUT = N_("Give the file to write with -o, like -o labels.pdf.")
