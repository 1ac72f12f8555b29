"""The "done when" of issue 16: tools/walkthrough.py's steps, offscreen, from an empty data
folder through the wizard to a bundle (each step checks itself; pictures left out)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_seller_alone_from_an_empty_folder_to_a_bundle(qtbot, qapp, home, tmp_path):
    sys.path.insert(0, str(ROOT))
    from shopdesk import catalog, profiles, sales, stock
    from tools.walkthrough import Walk

    assert not profiles.operator_exists()
    taken: list[str] = []
    walk = Walk(qapp, tmp_path, lambda _widget, name: taken.append(name))
    try:
        walk.run()
    finally:
        if walk.window is not None:
            walk.window.tasks.wait(10000)
            qtbot.addWidget(walk.window)
    session = walk.window.ctx.session
    [product] = catalog.list_products(session)
    assert catalog.get_product(session, product.id).variants[0].price == 15_000
    [batch] = stock.batches(session, sku=walk.sku)
    assert batch.on_hand == 23  # 24 in, one sold
    [sale] = sales.list_sales(session)
    assert sale.total == 15_000
    assert [name.split("-", 2)[2] for name in taken][:3] == [
        "wizard-operator",
        "wizard-seller",
        "wizard-shop",
    ]
    assert len(taken) == 18
