from __future__ import annotations

from pathlib import Path

import pytest

from shopdesk.export.bundle import ExportOptions, export_bundle
from tests.export.factory import SHOP, sample_products

BASE_URL = "https://kopisindoro.example.id/katalog"


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English message ids; test_i18n_export checks the Indonesian."""
    from shopdesk import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("id")


@pytest.fixture
def photo_dir(tmp_path) -> Path:
    return tmp_path / "photos"


@pytest.fixture
def products(photo_dir):
    return sample_products(photo_dir)


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache" / "photos"


@pytest.fixture
def stick(tmp_path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture
def options(cache_dir) -> ExportOptions:
    return ExportOptions(cache_dir=cache_dir, base_url=BASE_URL, workers=2)


@pytest.fixture
def bundle(products, stick, options):
    return export_bundle(products, shop=SHOP, out_dir=stick, options=options)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One bundle per test module, for tests that only read it."""
    root = tmp_path_factory.mktemp("built")
    (root / "stick").mkdir()
    options = ExportOptions(cache_dir=root / "cache", base_url=BASE_URL, workers=2)
    return export_bundle(
        sample_products(root / "photos"), shop=SHOP, out_dir=root / "stick", options=options
    )
