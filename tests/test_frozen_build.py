"""Smoke test of the frozen build: build the bundle, then use only its two executables.

Slow (a PyInstaller build takes one to three minutes; a build of unchanged sources is reused
from ``build/frozen-test/``). Deselect with ``-m "not slow"``. The build time, the folder size
and the start-up times (frozen next to from source) are benchmark figures:
``python -m benchmarks frozen``.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import pytest

from benchmarks import frozen
from benchmarks.frozen import Bundle, clean_env, run_command
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
OPERATOR_PASSWORD = "operator-smoke-1"
SELLER, PIN = "tani", "246810"
WHATSAPP = "0812 2700 1234"  # parsed with phonenumbers' Indonesian metadata
CATALOG = SHARED_DATA / "catalog_sample.csv"
DEMO_CATALOG = ROOT / "resources" / "demo" / "catalog_kopi.csv"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return frozen.build_bundle()


@pytest.fixture(scope="module")
def shop(bundle: Bundle, tmp_path_factory) -> Path:
    """A data folder set up with the frozen CLI: operator and one seller."""
    home = tmp_path_factory.mktemp("frozen-shop")
    env = clean_env(home, SHOPDESK_OPERATOR_PASSWORD=OPERATOR_PASSWORD, SHOPDESK_NEW_PIN=PIN)
    ok(run_command([bundle.cli, "init"], env))
    create = [bundle.cli, "seller", "create", SELLER, "--display-name", "Bu Tani"]
    create += ["--shop", "Tani", "--whatsapp", WHATSAPP]
    created = ok(run_command(create, env))
    assert SELLER in created
    return home


def ok(done) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@functools.cache
def commands(executable: tuple[str, ...]) -> frozenset[str]:
    """Command names listed by ``--help`` (lines indented by four spaces)."""
    help_text = ok(run_command([*executable, "--help"], clean_env(ROOT / "build")))
    return frozenset(re.findall(r"^    ([a-z][a-z-]+)", help_text, flags=re.MULTILINE))


def need_command(bundle: Bundle, name: str) -> None:
    """Fail if the command is missing from the source CLI or only from the frozen build."""
    assert name in commands(tuple(map(str, frozen.cli_command(None)))), f"no `shopdesk {name}`"
    in_frozen = commands((str(bundle.cli),))
    assert name in in_frozen, f"`{name}` missing from the frozen CLI (hidden import?)"


def seller_env(home: Path) -> dict[str, str]:
    return clean_env(home, SHOPDESK_PIN=PIN)


def test_layout_one_folder_two_executables_shared_libraries(bundle: Bundle):
    internal = bundle.folder / "_internal"
    assert bundle.gui.parent == bundle.cli.parent == bundle.folder
    libraries: dict[str, list[Path]] = {}
    for path in internal.rglob("*"):
        if (
            path.is_file()
            and not path.is_symlink()
            and re.search(r"\.(so(\.\d+)*|dll|pyd)$", path.name)
        ):
            libraries.setdefault(path.name.lower(), []).append(path)
    twice = {name: paths for name, paths in libraries.items() if len(paths) > 1}
    assert not twice, f"libraries collected twice: {twice}"
    for part in ("i18n/id/core.po", "labels/papers", "labels/designs", "fonts", "demo"):
        assert (internal / "resources" / part).exists(), part
    names = {p.name for p in internal.rglob("*")}
    unwanted = [n for n in names if re.search(r"WebEngine|Qt6Qml|Qt6Quick|Qt63D|Multimedia", n)]
    assert not unwanted, unwanted
    assert not list(internal.rglob("babel")), "babel is for tools only"
    assert not list(internal.rglob("qt_*.qm")), "Qt translations are not used"


def test_cli_version_and_translations(bundle: Bundle, tmp_path):
    from shopdesk import APP_NAME, __version__

    env = clean_env(tmp_path)
    assert ok(run_command([bundle.cli, "--version"], env)).strip() == f"{APP_NAME} {__version__}"
    # Indonesian (the default) comes from resources/i18n inside the bundle.
    env.pop("SHOPDESK_LANG")
    source = ok(run_command([*frozen.cli_command(None), "--help"], env))
    assert ok(run_command([bundle.cli, "--help"], env)) == source


def test_seller_created_and_logs_in(bundle: Bundle, shop: Path):
    out = ok(run_command([bundle.cli, "whoami", "--seller", SELLER], seller_env(shop)))
    assert "Tani" in out
    assert "+6281227001234" in out


@pytest.fixture(scope="module")
def catalog(bundle: Bundle, shop: Path) -> Path:
    """The sample catalog imported into the seller's shop with the frozen CLI."""
    need_command(bundle, "import")
    source = CATALOG if CATALOG.is_file() else DEMO_CATALOG
    command = [bundle.cli, "import", source, "--apply", "--seller", SELLER]
    ok(run_command(command, seller_env(shop)))
    return source


def test_import_catalog(bundle: Bundle, shop: Path, catalog: Path):
    listed = ok(run_command([bundle.cli, "product", "list", "--seller", SELLER], seller_env(shop)))
    assert first_sku(catalog) in listed


def first_sku(catalog: Path) -> str:
    return catalog.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[0]


def test_labels_to_pdf(bundle: Bundle, shop: Path, catalog: Path, tmp_path):
    need_command(bundle, "labels")
    pdf = tmp_path / "labels.pdf"
    command = [bundle.cli, "labels", "print", "--seller", SELLER, "--sku", first_sku(catalog)]
    ok(run_command([*command, "-o", pdf], seller_env(shop)))
    assert pdf.read_bytes().startswith(b"%PDF")
    # The codes drawn by the frozen build (qrcode, reportlab barcodes) scan.
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=4).to_pil()
    finally:
        document.close()
    assert zxingcpp.read_barcodes(image), "no readable code on the first label page"


def test_export_bundle(bundle: Bundle, shop: Path, catalog: Path, tmp_path):
    need_command(bundle, "export")
    out = tmp_path / "stick"
    out.mkdir()
    ok(run_command([bundle.cli, "export", "--seller", SELLER, "-o", out], seller_env(shop)))
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".csv" for p in written), written
    # What the frozen build wrote opens: manifest, spreadsheets (openpyxl), PDFs (reportlab).
    from openpyxl import load_workbook

    for path in written:
        if path.name == "manifest.json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xlsx":
            load_workbook(path, read_only=True).close()
        elif path.suffix == ".pdf":
            assert pdf_pages(path) >= 1


def pdf_pages(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def test_gui_self_test(bundle: Bundle, tmp_path):
    """A brand-new data folder: the app seeds the demo shop, logs in as kopi, visits every page."""
    done = run_command([bundle.gui, "--self-test"], clean_env(tmp_path / "gui"))
    assert ok(done).strip().endswith("self-test ok")


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs Xvfb (xvfb-run)")
def test_gui_self_test_on_an_x_display(bundle: Bundle, tmp_path):
    """The xcb platform a Linux desktop uses, with the libraries the bundle carries for it."""
    env = clean_env(tmp_path / "gui")
    del env["QT_QPA_PLATFORM"]
    done = run_command(["xvfb-run", "-a", bundle.gui, "--self-test"], env)
    assert ok(done).strip().endswith("self-test ok")


def test_portable_mode_keeps_data_next_to_the_executable(bundle: Bundle, tmp_path):
    marker, data = bundle.folder / "portable.txt", bundle.folder / "data"
    env = clean_env(tmp_path, SHOPDESK_OPERATOR_PASSWORD=OPERATOR_PASSWORD, HOME=str(tmp_path))
    del env["SHOPDESK_HOME"]
    env.pop("XDG_DATA_HOME", None)
    assert not data.exists()
    try:
        marker.write_text("ShopDesk portable mode\n", encoding="utf-8")
        ok(run_command([bundle.cli, "init"], env))
        assert (data / "shopdesk.sqlite3").is_file()
    finally:
        marker.unlink(missing_ok=True)
        shutil.rmtree(data, ignore_errors=True)
    # Without the marker: the user data folder.
    ok(run_command([bundle.cli, "init"], env))
    assert (tmp_path / ".local" / "share" / "ShopDesk" / "shopdesk.sqlite3").is_file()


def test_gui_opens_an_existing_shop_at_the_login_window(bundle: Bundle, tmp_path):
    """A data folder with shops (made by the frozen CLI's demo command): the frozen app
    starts at the login window, not the first-run wizard, and quits cleanly. How fast is
    a benchmark figure: ``python -m benchmarks frozen``."""
    need_command(bundle, "demo")
    home = tmp_path / "demo"
    frozen.prepare_home(home, bundle)
    done = run_command([bundle.gui, "--startup-probe"], clean_env(home))
    # the window first, then the data open behind it (ui/app.py, --startup-probe)
    shown, ready = ok(done).strip().splitlines()[-2:]
    assert re.fullmatch(r"startup-shown \d+\.\d+", shown), shown
    assert re.fullmatch(r"startup-ready \d+\.\d+", ready), ready
