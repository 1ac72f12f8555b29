"""House rules that keep the core usable without a display."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import shopdesk

ROOT = Path(__file__).resolve().parent.parent


def test_every_core_module_imports_with_pyside6_blocked():
    """The core, the CLI included, must run on a machine without Qt."""
    script = f"""
import sys, importlib, pkgutil
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'ui', 'shiboken6'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
sys.path.insert(0, {str(ROOT)!r})
import shopdesk
names = [m.name for m in pkgutil.walk_packages(shopdesk.__path__, 'shopdesk.')]
names = [n for n in names if not n.endswith('__main__')]
for name in names:
    importlib.import_module(name)
print(len(names))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 10


def test_import_ui_is_this_projects_folder():
    ui = importlib.import_module("ui")
    assert Path(ui.__file__).resolve().parent == ROOT / "ui"


def test_version_has_one_source():
    from shopdesk.cli import main

    assert shopdesk.__version__.count(".") == 2
    text = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "__version__" in text or "shopdesk" in text
    assert callable(main)


def test_no_module_uses_float_for_money_fields():
    import shopdesk.store.models as models

    for model in models.ALL_MODELS:
        for field in model._meta.sorted_fields:
            assert type(field).__name__ not in ("FloatField", "DecimalField", "DoubleField"), (
                f"{model.__name__}.{field.name}"
            )


def test_core_modules_are_listed():
    names = [m.name for m in pkgutil.walk_packages(shopdesk.__path__, "shopdesk.")]
    assert "shopdesk.store.engine" in names and "shopdesk.cli" in names
