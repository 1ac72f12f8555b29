"""Listing bundles: product listings for marketplaces, carried on a USB stick.

For a logged-in seller (``shopdesk.export.service``)::

    service.check_export(session, options=ExportOptions(targets=...))      # problems only
    service.export_for_seller(session, out_dir=stick, options=..., changed_only=False,
                              progress=lambda stage, done, total: ...)     # verified bundle
    service.waiting_counts(session)                                        # the outbox

On any list of ``listing.ListingProduct`` (tests, benchmarks, tools)::

    bundle.prepare(products, shop=..., options=...)       # photos + validation, no writing
    bundle.export_bundle(products, shop=..., out_dir=..., options=...)
    bundle.set_url(path, "https://...")                   # fill the links, re-sign
    manifest.verify(path)                                 # names damaged files
    bundle.show(path)

Modules: ``listing`` (input dataclasses), ``photos`` (square JPEGs, cached by
content), ``validate`` (per-target rules), ``feeds`` (CSV/TSV/JSON targets),
``sheets`` (Shopee and Tokopedia/TikTok Shop workbooks), ``site`` (static
catalog), ``pdf`` (price list), ``manifest`` (checksums, verify), ``staging``
(atomic writing to the stick), ``bundle`` (the whole export), ``service``
(catalog, outbox and record of one seller), ``cli`` (the commands).
"""
