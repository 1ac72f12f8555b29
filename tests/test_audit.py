"""The audit trail: what is recorded, who may read it, and that a restore keeps it.

Each recorded action leaves exactly one row with its shop and actor, in the
transaction of the change; the viewer (``audit.entries``, ``shopdesk audit``)
filters by days and actions and shows a seller their own shop only; a whole-PC
restore keeps the entries written after the backup and records itself.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from shopdesk import audit, backup, i18n, profiles, reports, sales, stock
from shopdesk.catalog import table_io
from shopdesk.errors import AuthError, ShopDeskError, ValidationError
from shopdesk.store.models import AuditLog
from tests.conftest import OPERATOR_PASSWORD, PIN_A, PIN_B
from tests.stock_factories import make_product


def _rows() -> list[AuditLog]:
    return list(AuditLog.select().order_by(AuditLog.id))


def _new_rows(before: int) -> list[AuditLog]:
    return [row for row in _rows() if row.id > before]


def _last_id() -> int:
    return max((row.id for row in _rows()), default=0)


def _stocked(seller) -> list[str]:
    skus = [make_product(seller, price=10_000 + n, shelf_life_days=30) for n in range(3)]
    for sku in skus:
        stock.receive(seller, sku=sku, quantity=20, batch_code="P1")
    return skus


def _sale(seller, skus):
    return sales.record_sale(seller, lines=[(sku, 1) for sku in skus], payment="qris")


# Each action: (expected action, the call). The call gets the seller and three stocked SKUs.
ACTIONS = {
    "sale.record": lambda s, skus, tmp: _sale(s, skus),
    "sale.void": lambda s, skus, tmp: sales.void_sale(s, number=_sale(s, skus).number),
    "stock.in": lambda s, skus, tmp: stock.receive(s, sku=skus[0], quantity=4, batch_code="P2"),
    "stock.out": lambda s, skus, tmp: stock.remove(s, sku=skus[0], quantity=2, reason="damaged"),
    "stock.adjust": lambda s, skus, tmp: stock.adjust(s, sku=skus[0], quantity=-1),
    "stock.void": lambda s, skus, tmp: stock.void_movement(
        s, movement_id=stock.receive(s, sku=skus[1], quantity=1).id
    ),
    "stock.expired": lambda s, skus, tmp: stock.write_off_expired(s, today=date(2100, 1, 1)),
    "export.products": lambda s, skus, tmp: table_io.export_products(s, tmp / "p.csv"),
    "export.stock": lambda s, skus, tmp: table_io.export_stock(s, tmp / "s.xlsx"),
    "export.movements": lambda s, skus, tmp: reports.export_movements(s, tmp / "m.csv"),
    "export.sales": lambda s, skus, tmp: reports.export_sales(s, tmp / "v.xlsx", "xlsx"),
    "import": lambda s, skus, tmp: table_io.apply_import(s, _sheet(tmp)),
    "login": lambda s, skus, tmp: profiles.seller_login(login="kopi", pin=PIN_A),
    "login.failed": lambda s, skus, tmp: profiles.seller_login(login="kopi", pin="000000"),
}


def _sheet(tmp):
    path = tmp / "gula.csv"
    path.write_text("sku,name,price,stock\nGULA-1,Gula Aren,12000,5\n", encoding="utf-8")
    return path


# What else the call itself records, before the action counted.
FIRST = {"sale.void": ["sale.record"], "stock.void": ["stock.in"]}


def test_each_recorded_action_leaves_exactly_one_row_with_its_shop_and_actor(
    seller, seller_b, tmp_path
):
    skus = _stocked(seller)
    wrong = {}
    for action, call in ACTIONS.items():
        before = _last_id()
        try:
            call(seller, skus, tmp_path)
        except AuthError:
            assert action == "login.failed"
        rows = [(r.action, r.shop_id, r.actor) for r in _new_rows(before)]
        expected = [(a, seller.shop_id, "seller:kopi") for a in [*FIRST.get(action, []), action]]
        if rows != expected:
            wrong[action] = rows
    assert wrong == {}


def test_a_three_line_sale_writes_one_row_with_readable_detail(seller):
    skus = _stocked(seller)
    before = _last_id()
    sale = sales.record_sale(seller, lines=[(sku, 2) for sku in skus], payment="qris", note="Bu Rt")
    rows = _new_rows(before)
    assert [r.action for r in rows] == ["sale.record"]
    assert json.loads(rows[0].detail)["total"] == sale.total
    entry = audit.entries(seller, action="sale")[0]
    assert entry.label == "Penjualan dicatat"
    assert entry.detail == f"Penjualan {sale.number}: 3 baris, Rp 60.006, QRIS · “Bu Rt”"


def test_a_refused_action_leaves_no_row_and_the_same_action_done_leaves_one(seller):
    skus = _stocked(seller)
    before = _last_id()
    with pytest.raises(ValidationError):  # the third line goes below zero: nothing at all
        sales.record_sale(seller, lines=[(skus[0], 1), (skus[1], 1), (skus[2], 999)])
    with pytest.raises(ValidationError):
        stock.remove(seller, sku=skus[0], quantity=999, reason="damaged")
    assert _new_rows(before) == []
    sales.record_sale(seller, lines=[(skus[0], 1), (skus[1], 1), (skus[2], 20)])
    stock.remove(seller, sku=skus[0], quantity=19, reason="damaged")
    assert [r.action for r in _new_rows(before)] == ["sale.record", "stock.out"]


def _at(day: date, hour: int = 3):
    """A fixed moment for rows recorded now (WIB = UTC+7: 03:00 UTC is 10:00 WIB)."""
    return datetime(day.year, day.month, day.day, hour)


def test_the_viewer_filters_by_days_and_actions(seller, monkeypatch):
    skus = _stocked(seller)
    days = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    with monkeypatch.context() as patch:
        for day in days:
            patch.setattr(audit, "utcnow", lambda day=day: _at(day))
            _sale(seller, skus[:1])
            stock.receive(seller, sku=skus[1], quantity=1)
        # 20:00 UTC on March 3 is already March 4 in WIB.
        patch.setattr(audit, "utcnow", lambda: datetime(2026, 3, 3, 20))
        stock.remove(seller, sku=skus[1], quantity=1, reason="sample")

    march_2 = audit.entries(seller, since=days[1], until=days[1])
    assert sorted(e.action for e in march_2) == ["sale.record", "stock.in"]
    assert all(e.local_at.date() == days[1] for e in march_2)
    assert [e.action for e in audit.entries(seller, since=date(2026, 3, 4))][-1] == "stock.out"
    assert "stock.out" not in {e.action for e in audit.entries(seller, until=days[2])}
    sales_only = audit.entries(seller, action="sale.record")
    assert [e.local_at.date() for e in sales_only] == days[::-1]  # newest first
    stock_group = {e.action for e in audit.entries(seller, action="stock")}
    assert stock_group == {"stock.in", "stock.out"}
    assert len(audit.entries(seller, action="stock", limit=2)) == 2
    paged = audit.entries(seller, action="stock", limit=2, offset=2)
    assert [e.id for e in paged] == [e.id for e in audit.entries(seller, action="stock")][2:4]
    out = next(e for e in audit.entries(seller, action="stock.out"))
    assert out.detail == f"{skus[1]} -1 (dibagikan sebagai sampel)"


def test_the_viewer_refuses_bad_filters_and_strangers(seller):
    with pytest.raises(ValidationError, match="bukan tindakan"):
        audit.entries(seller, action="sale.delete")
    with pytest.raises(ValidationError):
        audit.entries(seller, since=date(2026, 3, 2), until=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        audit.entries(seller, limit=0)
    with pytest.raises(AuthError):
        audit.entries(object())  # type: ignore[arg-type]


def test_a_seller_sees_their_own_shop_and_the_operator_sees_all(operator, seller, seller_b):
    _sale(seller, _stocked(seller))
    sku_b = make_product(seller_b, sku="MADU-1")
    stock.receive(seller_b, sku=sku_b, quantity=3, note="rahasia-penjual-b")
    a, b = audit.entries(seller), audit.entries(seller_b)
    assert a and b
    assert {e.shop_id for e in a} == {seller.shop_id}
    assert {e.shop_id for e in b} == {seller_b.shop_id}
    assert "rahasia" not in repr(a) and "MADU-1" not in repr(a)
    everything = audit.entries(operator, limit=1000)
    assert {e.id for e in a} | {e.id for e in b} < {e.id for e in everything}
    pc_wide = [e for e in everything if e.shop_id is None]
    assert {e.action for e in pc_wide} >= {"operator.create"}
    assert {e.shop_name for e in everything if e.shop_id} == {"Kopi Sindoro", "Madu Bangli"}


def test_every_action_and_group_has_an_indonesian_label(seller):
    i18n.set_language("id")
    untranslated = [a for a, (label, _t) in audit.ACTIONS.items() if audit.action_label(a) == label]
    untranslated += [g for g, label in audit.GROUPS.items() if audit.group_label(g) == label]
    assert untranslated == []
    i18n.set_language("en")
    assert audit.action_label("sale.record") == "Sale recorded"
    i18n.set_language("id")
    # An old row without the fields its template names still reads as text, not JSON.
    assert audit.describe("sale.record", {"number": 3}) == "number: 3"
    assert audit.describe("product.update", {"product_id": 4, "changes": {"a": [1, 2]}}) == (
        "Produk nomor 4: a"
    )


def test_the_cli_shows_a_sellers_shop_and_the_operators_pc(cli, seller, seller_b):
    skus = _stocked(seller)
    _sale(seller, skus)
    stock.receive(seller_b, sku=make_product(seller_b, sku="MADU-1"), quantity=3)
    code, out, err = cli("audit", "--seller", "kopi", pin=PIN_A)
    assert code == 0, err
    assert "Penjualan dicatat" in out and "Stok masuk" in out and "Rp 30.003" in out
    assert "MADU-1" not in out and "Madu Bangli" not in out
    code, out, err = cli("audit", "--seller", "kopi", "--action", "sale", pin=PIN_A)
    assert code == 0, err
    assert "Penjualan dicatat" in out and "Stok masuk" not in out
    code, out, err = cli("audit", "--seller", "madu", "--since", "2000-01-01", pin=PIN_B)
    assert "MADU-1" in out and "Kopi" not in out
    code, out, err = cli("audit", password=OPERATOR_PASSWORD)
    assert code == 0, err
    assert "Kopi Sindoro" in out and "Madu Bangli" in out and "seluruh PC" in out
    code, out, err = cli("audit", "--seller", "kopi", "--until", "2000-01-01", pin=PIN_A)
    assert (code, out.strip()) == (0, "Tidak ada catatan.")
    code, out, err = cli("audit", "--seller", "kopi", "--since", "kemarin", pin=PIN_A)
    assert code != 0 and "kemarin" in err and "Traceback" not in err
    code, out, err = cli("audit", "--seller", "kopi", "--action", "hapus", pin=PIN_A)
    assert code != 0 and "hapus" in err


# --- a whole-PC restore keeps the history ----------------------------------------------


def _actions(who) -> list[str]:
    return [e.action for e in audit.entries(who, limit=1000)]


def test_a_full_restore_keeps_a_later_import_and_records_itself(operator, seller, tmp_path):
    make_product(seller, sku="KOPI-1")
    saved = backup.backup_now(operator)
    table_io.apply_import(seller, _sheet(tmp_path))
    imported = next(e for e in audit.entries(seller) if e.action == "import")
    result = backup.restore(operator, path=saved.path)

    with pytest.raises(ShopDeskError):  # the import itself is undone
        stock.stock(seller, sku="GULA-1")
    kept = [e for e in audit.entries(seller) if e.action == "import"]
    assert [(e.at, e.data, e.shop_id) for e in kept] == [
        (imported.at, imported.data, seller.shop_id)
    ]
    last = audit.entries(operator)[0]
    assert (last.action, last.actor, last.shop_id) == ("backup.restore", operator.actor, None)
    assert last.data["file"] == saved.name and last.data["before"] == result.safety_backup.name
    assert last.detail == saved.name and last.label == "Cadangan dipulihkan"
    assert last.at >= imported.at


def test_entries_the_backup_already_holds_are_not_carried_twice(operator, seller, tmp_path):
    skus = _stocked(seller)
    table_io.apply_import(seller, _sheet(tmp_path))
    saved = backup.backup_now(operator)  # holds the import; its own row comes after it
    _sale(seller, skus)
    backup.restore(operator, path=saved.path)
    actions = _actions(operator)
    assert actions.count("import") == 1 and actions.count("sale.record") == 1
    assert actions.count("backup.create") == 1 and actions[0] == "backup.restore"
    backup.restore(operator, path=saved.path)  # again: still one of each
    actions = _actions(operator)
    assert actions.count("import") == 1 and actions.count("sale.record") == 1
    assert actions.count("backup.restore") == 2


def test_a_shop_the_backup_does_not_hold_never_lends_its_history(operator, seller):
    saved = backup.backup_now(operator)
    profiles.create_seller(operator, login="gula", display_name="Gula", pin=PIN_B, shop_name="Gula")
    gone_shop = profiles.seller_login(login="gula", pin=PIN_B).shop_id
    backup.restore(operator, path=saved.path)
    carried = [e for e in audit.entries(operator, limit=1000) if e.data.get("login") == "gula"]
    assert [e.action for e in carried] == ["seller.create"]
    assert carried[0].shop_id is None and "Gula" in carried[0].detail
    # A new shop takes the same number: the old shop's entries are not its history.
    profiles.create_seller(operator, login="teh", display_name="Teh", pin=PIN_B, shop_name="Teh")
    teh = profiles.seller_login(login="teh", pin=PIN_B)
    assert teh.shop_id == gone_shop
    assert "gula" not in repr(audit.entries(teh))
    assert _actions(teh)[-1] == "seller.create"


def test_carried_entries_keep_their_original_times(operator, seller, monkeypatch):
    saved = backup.backup_now(operator)
    moment = datetime.now() + timedelta(days=2)  # later than anything else here
    with monkeypatch.context() as patch:
        patch.setattr(audit, "utcnow", lambda: moment)
        stock.receive(seller, sku=make_product(seller), quantity=1)
    backup.restore(operator, path=saved.path)
    moved = next(e for e in audit.entries(seller) if e.action == "stock.in")
    assert moved.at == moment
