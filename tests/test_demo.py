"""The demo shows every flow (issue 16, point 12): every product has a photo, so every
marketplace takes the whole catalog into the bundle, and one batch is about to expire."""

from __future__ import annotations

import pytest

from shopdesk import catalog, demo, profiles, stock
from shopdesk.export import service
from shopdesk.export.bundle import ExportOptions
from shopdesk.export.validate import ERROR, TARGETS


@pytest.fixture(scope="module")
def demo_pc(tmp_path_factory):
    import os

    from shopdesk import i18n, store

    folder = tmp_path_factory.mktemp("demo")
    saved = os.environ.get("SHOPDESK_HOME")
    os.environ["SHOPDESK_HOME"] = str(folder)
    i18n.set_language("id")
    store.open_database()
    lines = list(demo.seed())
    yield lines
    store.close_database()
    if saved is None:
        os.environ.pop("SHOPDESK_HOME")
    else:
        os.environ["SHOPDESK_HOME"] = saved


def sessions():
    for spec in demo.SELLERS:
        yield profiles.seller_login(login=str(spec["login"]), pin=str(spec["pin"]))


def test_every_demo_product_has_a_photo_and_every_target_takes_it(demo_pc):
    for session in sessions():
        products = catalog.list_products(session)
        assert products
        bare = [p.name for p in products if not catalog.get_product(session, p.id).photos]
        assert bare == []
        prepared = service.check_export(
            session, options=ExportOptions(targets=tuple(TARGETS)), changed_only=False
        )
        errors = [(i.target, i.sku, i.message) for i in prepared.issues if i.level == ERROR]
        assert errors == []
        assert {t: len(v) for t, v in prepared.included.items()} == dict.fromkeys(
            TARGETS, len(prepared.items)
        )


def test_one_demo_batch_is_about_to_expire(demo_pc):
    kopi, madu = sessions()
    soon = stock.expiring(kopi, within_days=30)
    _login, sku, code, units, days_left, _age = demo.EXPIRING
    assert [(b.sku, b.code, b.on_hand) for b in soon] == [(sku, code, units)]
    assert stock.expired(kopi) == [] and stock.expiring(madu, within_days=30) == []
    assert any(code in line and str(days_left) in line for line in demo_pc)
