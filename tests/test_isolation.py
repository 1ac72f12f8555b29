"""Seller A sees nothing of seller B: through every service, CLI command, report,
label, export and backup that exists.

Seller B's data carries markers (names, SKU, barcode, batch code, notes). As
seller A, every read path is run and its whole output (text, files written,
PDFs as text, bundles, backups unpacked) is searched for those markers. B's ids
typed by A must give "not found" and change nothing. Extend ``_service_outputs``
and ``CLI_READS`` when a new module lands.
"""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import date
from pathlib import Path

import pytest

from shopdesk import audit, backup, catalog, paths, profiles, reports, sales, settings, stock
from shopdesk.catalog import search
from shopdesk.errors import ShopDeskError
from shopdesk.stock import stocktake
from shopdesk.store.models import Movement, Product
from tests import figures
from tests.conftest import PIN_A, PIN_B

B_MARKERS = (
    "Madu Hutan Bangli",
    "MADU-HTN-500",
    "8991234567891",
    "BNGL-07",
    "Madu Murni",
    "rahasia-penjual-b",
    "Madu Bangli",
    "6281338005678",
)


def _b_data(seller_b) -> dict:
    catalog.create_product(
        seller_b,
        name="Madu Hutan Bangli",
        price=80000,
        sku="MADU-HTN-500",
        barcode="8991234567891",
        category="Madu Murni",
        description="rahasia-penjual-b deskripsi",
    )
    received = stock.receive(
        seller_b, sku="MADU-HTN-500", quantity=30, batch_code="BNGL-07", note="rahasia-penjual-b"
    )
    sale = sales.record_sale(seller_b, lines=[("MADU-HTN-500", 2)], note="rahasia-penjual-b")
    stocktake.start_count(seller_b, skus=["MADU-HTN-500"], note="rahasia-penjual-b")
    stocktake.enter_count(seller_b, sku="MADU-HTN-500", counted=27)
    posted = stocktake.post_count(seller_b, note="rahasia-penjual-b")
    settings.put(seller_b, "listing_base_url", "https://rahasia-penjual-b.example.id")
    product = Product.get(Product.name == "Madu Hutan Bangli")
    return {
        "movement": received.id,
        "sale": sale.number,
        "count": posted.count_id,
        "product": product.id,
    }


def _a_data(seller) -> None:
    catalog.create_product(
        seller, name="Kopi Sindoro Robusta", price=35000, sku="KOPI-250", category="Kopi"
    )
    stock.receive(seller, sku="KOPI-250", quantity=20, batch_code="SDR-01")
    sales.record_sale(seller, lines=[("KOPI-250", 1)])
    stocktake.start_count(seller, skus=["KOPI-250"])
    stocktake.enter_count(seller, sku="KOPI-250", counted=19)
    stocktake.post_count(seller)


def _text(value: object) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return repr(dataclasses.asdict(value))
    return repr(value)


def _file_text(path: Path) -> str:
    """A written file as searchable text: PDFs by their text, zips unpacked."""
    if path.is_dir():
        return "\n".join(_file_text(p) for p in sorted(path.rglob("*")) if p.is_file())
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if data.startswith(b"PK"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(n).decode("utf-8", "replace")
                if not archive.read(n).startswith(b"PK")
                else ""
                for n in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def _leaks(text: str) -> list[str]:
    return [m for m in B_MARKERS if m.lower() in text.lower()]


def _service_outputs(seller, out: Path) -> dict[str, str]:
    """Every read service of seller A, and the files it writes."""
    today = date.today()
    results: dict[str, object] = {
        "catalog.list_products": catalog.list_products(seller, include_archived=True),
        "catalog.list_variants": catalog.list_variants(seller, include_archived=True),
        "catalog.list_categories": catalog.list_categories(seller),
        "catalog.find_by_code(b barcode)": catalog.find_by_code(seller, "8991234567891"),
        "search.search(all)": search.search(seller, "", include_archived=True),
        "search.search(madu)": search.search(seller, "madu"),
        "search.search(b sku)": search.search(seller, "MADU-HTN-500"),
        "search.count": search.count(seller, "madu"),
        "inventory.history": stock.history(seller),
        "inventory.batches": stock.batches(seller, include_empty=True)
        if "include_empty" in stock.batches.__code__.co_varnames
        else stock.batches(seller),
        "inventory.expiring": stock.expiring(seller, within_days=3650),
        "inventory.expired": stock.expired(seller, today=date(2100, 1, 1)),
        "inventory.check": stock.check(seller),
        "sales.list_sales": sales.list_sales(seller),
        "sales.get_sale(1)": sales.get_sale(seller, number=1),
        "stocktake.list_counts": stocktake.list_counts(seller),
        "reports.summary": reports.summary(seller, first_day=date(2000, 1, 1), last_day=today),
        "reports.daily_series": reports.daily_series(seller, days=30),
        "reports.stock_value": reports.stock_value(seller),
        "reports.low_stock": reports.low_stock(seller),
        "profiles.shop_info": profiles.shop_info(seller),
        "settings.get": settings.get(seller, "listing_base_url"),
        "audit.entries": audit.entries(seller),
        "backup.list_backups": backup.list_backups(seller, folder=out / "stick"),
    }
    texts = {name: _text(value) for name, value in results.items()}
    reports.export_movements(seller, out / "movements.csv")
    reports.export_sales(seller, out / "sales.csv")
    files = [out / "movements.csv", out / "sales.csv"]
    if _open_count(seller):
        files.append(stocktake.count_sheet(seller, path=out / "count-sheet.pdf"))
    (out / "a-backup").mkdir()
    shop_backup = backup.backup_now(seller, folder=out / "a-backup")
    with zipfile.ZipFile(shop_backup.path) as archive:
        (out / "a-backup.sqlite3").write_bytes(archive.read(backup.DB_MEMBER))
    files.append(out / "a-backup.sqlite3")
    files += _labels(seller, out)
    files += _export(seller, out)
    for path in files:
        texts[f"file {path.name}"] = _file_text(path)
    return texts


def _open_count(seller) -> bool:
    try:
        stocktake.start_count(seller, skus=["KOPI-250"])
    except ShopDeskError:
        return False
    return True


def _labels(seller, out: Path) -> list[Path]:
    try:
        from shopdesk.labels import service as label_service
    except ImportError:  # the labels module has not landed
        return []
    items = label_service.label_items(seller, skus=["KOPI-250"], copies=1)
    (out / "labels.txt").write_text(_text(items), encoding="utf-8")
    return [out / "labels.txt"]


def _export(seller, out: Path) -> list[Path]:
    from shopdesk.export import service
    from shopdesk.export.bundle import ExportOptions

    stick = out / "export-stick"
    stick.mkdir()
    options = ExportOptions(cache_dir=out / "photo-cache", workers=1, targets=("generic", "meta"))
    result = service.export_for_seller(seller, out_dir=stick, options=options)
    (out / "waiting.txt").write_text(
        _text(service.waiting_counts(seller)) + _text(service.recent_bundles(seller)),
        encoding="utf-8",
    )
    return [result.path, out / "waiting.txt"]


def test_seller_a_sees_nothing_of_seller_b_through_services(seller, seller_b, tmp_path, request):
    _b_data(seller_b)
    (tmp_path / "stick").mkdir()
    backup.backup_now(seller_b, folder=tmp_path / "stick")  # B's backup on the shared stick
    _a_data(seller)
    texts = _service_outputs(seller, tmp_path)
    leaks = {name: _leaks(text) for name, text in texts.items() if _leaks(text)}
    figures.report(
        request,
        f"\nisolation: {len(texts)} service outputs and files of seller A searched, leaks: {leaks}",
    )
    assert not leaks
    assert "Kopi Sindoro Robusta" in texts["catalog.list_products"]  # the search does see A
    assert _leaks(_text(catalog.list_products(seller_b)))  # and would see B's markers


def test_seller_a_cannot_reach_b_by_id(seller, seller_b, request):
    ids = _b_data(seller_b)
    _a_data(seller)
    before = Movement.select().where(Movement.shop == seller_b.shop_id).count()
    attempts = {
        "inventory.movement": lambda: stock.movement(seller, movement_id=ids["movement"]),
        "inventory.void_movement": lambda: stock.void_movement(seller, movement_id=ids["movement"]),
        "inventory.stock": lambda: stock.stock(seller, sku="MADU-HTN-500"),
        "inventory.receive": lambda: stock.receive(seller, sku="MADU-HTN-500", quantity=1),
        "catalog.get_variant": lambda: catalog.get_variant(seller, "MADU-HTN-500"),
        "catalog.get_product": lambda: catalog.get_product(seller, ids["product"]),
        "catalog.update_product": lambda: catalog.update_product(
            seller, ids["product"], name="Dicuri"
        ),
        "catalog.archive_product": lambda: catalog.archive_product(seller, ids["product"]),
        "stocktake.get_count": lambda: stocktake.get_count(seller, count_id=ids["count"]),
        "sales.record_sale": lambda: sales.record_sale(seller, lines=[("MADU-HTN-500", 1)]),
    }
    reached = []
    for name, attempt in attempts.items():
        try:
            result = attempt()
        except ShopDeskError:
            continue
        reached.append((name, result))
    figures.report(
        request,
        f"\nisolation: {len(attempts)} attempts with seller B's ids, {len(reached)} reached B",
    )
    assert reached == []
    assert Movement.select().where(Movement.shop == seller_b.shop_id).count() == before
    assert Product.get_by_id(ids["product"]).name == "Madu Hutan Bangli"


CLI_READS = [
    ("whoami",),
    ("shop", "show"),
    ("product", "list", "--archived"),
    ("variant", "list", "--archived"),
    ("search", "madu"),
    ("search", "8991234567891"),
    ("stock", "show", "MADU-HTN-500"),
    ("stock", "history", "--limit", "1000"),
    ("stock", "check"),
    ("batch", "list", "--all"),
    ("batch", "expiring", "--days", "3650"),
    ("batch", "expired"),
    ("count", "list"),
    ("count", "review", "--all"),
    ("sale", "list", "--limit", "1000"),
    ("sale", "show", "1"),
    ("sale", "summary"),
    ("report", "stock-value"),
    ("report", "low-stock"),
    ("report", "daily", "--days", "30"),
    ("bundle", "waiting"),
    ("export", "--check"),
    ("audit", "--limit", "1000"),
]


def test_seller_a_sees_nothing_of_seller_b_through_the_cli(
    cli, seller, seller_b, tmp_path, request
):
    _b_data(seller_b)
    _a_data(seller)
    (tmp_path / "stick").mkdir()
    code, _out, err = cli(
        "backup", "now", "--seller", "madu", "--to", tmp_path / "stick", pin=PIN_B
    )
    assert code == 0, err
    outputs = {}
    for argv in CLI_READS:
        _code, out, err = cli(*argv, "--seller", "kopi", pin=PIN_A)
        outputs[" ".join(argv)] = out + err
    for table in ("products", "stock", "movements", "sales"):
        target = tmp_path / f"{table}.csv"
        code, out, err = cli("table-export", table, "-o", target, "--seller", "kopi", pin=PIN_A)
        assert code == 0, err
        outputs[f"table-export {table}"] = out + err + target.read_text(encoding="utf-8-sig")
    code, out, err = cli(
        "export", "--targets", "generic", "-o", tmp_path, "--seller", "kopi", pin=PIN_A
    )
    assert code == 0, err
    outputs["export"] = (
        out + err + "".join(_file_text(p) for p in tmp_path.glob("listing-*") if p.is_dir())
    )
    # A's own import file naming B's SKU and barcode: the preview must not
    # recognise them (no "exists", no B's name or price).
    sheet = tmp_path / "a-import.csv"
    sheet.write_text(
        "sku,name,price,barcode\nMADU-HTN-500,Gula Semut,1000,8991234567891\n", encoding="utf-8"
    )
    code, out, err = cli("import", sheet, "--preview", "--all-rows", "--seller", "kopi", pin=PIN_A)
    outputs["import --preview MADU-HTN-500 8991234567891 (A's own file)"] = out + err
    assert "80.000" not in out and "80000" not in out  # B's price
    labels = tmp_path / "labels.pdf"
    code, out, err = cli(
        "labels", "print", "--sku", "KOPI-250", "-o", labels, "--seller", "kopi", pin=PIN_A
    )
    assert code == 0, err
    outputs["labels print"] = out + err + _file_text(labels)
    code, out, err = cli(
        "labels",
        "print",
        "--sku",
        "MADU-HTN-500",
        "-o",
        tmp_path / "b.pdf",
        "--seller",
        "kopi",
        pin=PIN_A,
    )
    assert code != 0 and not (tmp_path / "b.pdf").exists()
    outputs["labels print --sku MADU-HTN-500"] = out + err
    code, out, err = cli("labels", "assign-ean", "--dry-run", "--seller", "kopi", pin=PIN_A)
    outputs["labels assign-ean --dry-run"] = out + err
    code, out, err = cli(
        "backup", "list", "--folder", tmp_path / "stick", "--seller", "kopi", pin=PIN_A
    )
    outputs["backup list (stick with B's backup)"] = out + err
    assert "KOPI-250" in outputs["product list --archived"]
    assert "KOPI-250" in outputs["table-export movements"]
    leaks = {}
    for name, text in outputs.items():
        found = [m for m in _leaks(text) if m not in name]  # what A typed may be echoed back
        if found:
            leaks[name] = found
    figures.report(
        request, f"\nisolation: {len(outputs)} CLI outputs of seller A searched, leaks: {leaks}"
    )
    assert not leaks


@pytest.mark.parametrize(
    "call",
    [
        lambda op: catalog.list_products(op),
        lambda op: stock.history(op),
        lambda op: stock.check(op),
        lambda op: sales.list_sales(op),
        lambda op: stocktake.list_counts(op),
        lambda op: reports.stock_value(op),
        lambda op: search.search(op, ""),
        lambda op: profiles.shop_info(op),
    ],
)
def test_the_operator_cannot_read_shop_data(operator, seller, call):
    _a_data(seller)
    try:
        result = call(operator)
    except ShopDeskError:
        return
    assert "Kopi Sindoro" not in _text(result)


def _service_modules() -> list[str]:
    """Every core module, found by walking the package: a module added later is
    covered without a change here (its public functions taking ``session``)."""
    import pkgutil

    import shopdesk

    return sorted(
        info.name
        for info in pkgutil.walk_packages(shopdesk.__path__, "shopdesk.")
        if not info.name.startswith(("shopdesk.cli", "shopdesk.__main__"))
    )


SERVICE_MODULES = _service_modules()


# Public helpers that run inside another service's transaction, after that
# service has checked the session; they take rows, not what a user typed.
HELPERS = {
    "shopdesk.catalog.table_io.planning.plan",
    "shopdesk.catalog.rows.product_row",
    "shopdesk.catalog.rows.touch_product",
    "shopdesk.catalog.rows.variant_row",
    "shopdesk.catalog.product_writes.apply_product_changes",
    "shopdesk.catalog.variant_writes.apply_variant_changes",
    "shopdesk.catalog.product_writes.insert_product",
    "shopdesk.catalog.product_writes.insert_products",
    "shopdesk.stock.ledger.apply_difference",
    "shopdesk.stock.ledger.take",
    "shopdesk.stock.ledger.write_movement",
    "shopdesk.stock.ledger.write_movements",
    "shopdesk.stock.receiving.receiving_batch",
    "shopdesk.stock.voids.reverse",
}


def _dummy(param, tmp_path: Path):
    if param.name == "language":
        return "id"
    text = str(param.annotation)
    if "Path" in text:
        return tmp_path / "x.out"
    if "int" in text and "str" not in text:
        return 1
    if "bool" in text:
        return False
    if "Sequence" in text or "Iterable" in text or "list" in text:
        return ["KOPI-250"]
    return "KOPI-250"


def _seller_services():
    """(qualified name, function, parameters after the session) of each public seller service."""
    import importlib
    import inspect

    for module_name in SERVICE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name, func in inspect.getmembers(module, inspect.isfunction):
            qualified = f"{module_name}.{name}"
            if name.startswith("_") or func.__module__ != module.__name__ or qualified in HELPERS:
                continue
            params = list(inspect.signature(func).parameters.values())
            if params and params[0].name == "session":
                yield qualified, func, params[1:]


def _call(func, session, args: list, kwargs: dict):
    """The service's answer; a generator is run to its end."""
    import inspect

    result = func(session, *args, **kwargs)
    return list(result) if inspect.isgenerator(result) else result


def test_every_seller_service_refuses_the_operator(operator, seller, tmp_path, request):
    """Each public function whose first argument is a seller session, called as the
    operator with plausible arguments, must refuse with AuthError."""
    import inspect

    from shopdesk.errors import AuthError

    _a_data(seller)
    checked, wrong = 0, []
    for qualified, func, params in _seller_services():
        args, kwargs = [], {}
        for param in params:
            if param.default is not inspect.Parameter.empty:
                continue
            if param.kind is inspect.Parameter.KEYWORD_ONLY:
                kwargs[param.name] = _dummy(param, tmp_path)
            elif param.kind in (
                inspect.Parameter.POSITIONAL_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
            ):
                args.append(_dummy(param, tmp_path))
        checked += 1
        try:
            result = _call(func, operator, args, kwargs)
        except AuthError:
            continue
        except AttributeError as exc:
            if "OperatorSession" in str(exc):  # no shop_id: it cannot read any shop
                continue
            wrong.append(f"{qualified}: AttributeError: {exc}")
        except Exception as exc:
            wrong.append(f"{qualified}: {type(exc).__name__}: {exc}")
        else:
            wrong.append(f"{qualified}: returned {_text(result)[:80]}")
    figures.report(
        request, f"\noperator refused: {checked} seller services called as the operator, {wrong=}"
    )
    assert checked > 40
    assert wrong == []


def _seller_only_commands() -> list[list[str]]:
    """Every CLI command whose only required input is ``--seller`` (found by walking
    the parser, so commands added later are covered without a change here)."""
    import argparse

    from shopdesk.cli import build_parser

    found: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*prefix, name])
                return
        required = [
            a for a in parser._actions if (a.required or not a.option_strings) and a.dest != "help"
        ]
        if [a.dest for a in required] == ["seller"]:
            found.append(prefix)

    walk(build_parser(), [])
    return found


def test_every_command_that_needs_only_a_seller_shows_nothing_of_b(cli, seller, seller_b, request):
    _b_data(seller_b)
    _a_data(seller)
    commands = _seller_only_commands()
    leaks = {}
    for argv in commands:
        _code, out, err = cli(*argv, "--seller", "kopi", pin=PIN_A)
        found = _leaks(out + err)
        if found:
            leaks[" ".join(argv)] = found
    figures.report(request, f"isolation: {len(commands)} seller commands run as A, {leaks=}")
    assert len(commands) > 20
    assert leaks == {}


def _b_rows() -> dict:
    """Every row of seller B's shop, to prove nothing of it changed."""
    import sqlite3 as sqlite

    from shopdesk.backup import rows as backup_rows

    con = sqlite.connect(paths.database_path())
    try:
        filters = backup_rows.shop_filters(con)
        b_shop = con.execute("SELECT shop_id FROM seller WHERE login = 'madu'").fetchone()[0]
        # Sorted here: lot_stock is WITHOUT ROWID, so not every table has a rowid.
        return {
            table: sorted(
                con.execute(
                    f'SELECT * FROM "{table}" WHERE {where.format(src="main")}', {"shop": b_shop}
                ).fetchall(),
                key=repr,
            )
            for table, where in filters.items()
            if table not in ("audit_log", "seller")  # A's attempts may log; logins count
        }
    finally:
        con.close()


@pytest.mark.sqlite_only  # reads shop B's rows from the SQLite file
def test_every_seller_service_given_b_ids_leaves_b_untouched(seller, seller_b, tmp_path, request):
    """Each public seller service, called as A with B's ids, SKU and barcode where it
    asks for them: nothing of B in what it returns, and B's rows unchanged."""
    import inspect

    ids = _b_data(seller_b)
    _a_data(seller)
    by_name = {
        "product_id": ids["product"],
        "movement_id": ids["movement"],
        "count_id": ids["count"],
        "number": ids["sale"],
        "sku": "MADU-HTN-500",
        "skus": ["MADU-HTN-500"],
        "code": "8991234567891",
        "codes": ["8991234567891"],
        "text": "madu",
    }
    before = _b_rows()
    called, leaks = 0, {}
    for qualified, func, params in _seller_services():
        args, kwargs = [], {}
        for param in params:
            if param.default is not inspect.Parameter.empty and param.name not in by_name:
                continue
            value = by_name.get(param.name, _dummy(param, tmp_path))
            if param.kind is inspect.Parameter.KEYWORD_ONLY:
                kwargs[param.name] = value
            elif param.kind is not inspect.Parameter.VAR_KEYWORD:
                args.append(value)
        called += 1
        try:
            result = _call(func, seller, args, kwargs)
        except Exception as exc:
            text = str(exc)
        else:
            text = _text(result)
        found = [m for m in _leaks(text) if m not in ("MADU-HTN-500", "8991234567891")]
        if found:
            leaks[qualified] = found
    figures.report(
        request, f"isolation: {called} services called as A with B's ids, {leaks=}, B unchanged"
    )
    assert called > 40
    assert leaks == {}
    assert _b_rows() == before
