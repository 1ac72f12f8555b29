"""House rules that keep the core usable without a display."""

import importlib
import pkgutil
import re
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


def test_version_has_one_source(capsys):
    """shopdesk/__init__.py holds the version; the package, the build and the CLI read it."""
    import tomllib
    from importlib.metadata import version

    from shopdesk.cli import main

    assert re.fullmatch(r"\d+\.\d+\.\d+", shopdesk.__version__)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "shopdesk.__version__"}
    assert version("shopdesk") == shopdesk.__version__, "reinstall: pip install -e '.[test,dev]'"
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'VERSION = CONSTANTS["__version__"]' in spec
    assert shopdesk.__version__ not in spec  # no second copy to forget
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"{shopdesk.APP_NAME} {shopdesk.__version__}"


def test_no_module_uses_float_for_money_fields():
    import shopdesk.store.models as models

    for model in models.ALL_MODELS:
        for field in model._meta.sorted_fields:
            assert type(field).__name__ not in ("FloatField", "DecimalField", "DoubleField"), (
                f"{model.__name__}.{field.name}"
            )


def test_core_modules_are_listed():
    """Every module file under shopdesk/ is found by the package walk that the import
    test above and the frozen build's collect_submodules("shopdesk") rely on: a folder
    without __init__.py would hide its modules from both."""
    listed = {m.name for m in pkgutil.walk_packages(shopdesk.__path__, "shopdesk.")}
    on_disk = {_module_name(p) for p in (ROOT / "shopdesk").rglob("*.py")} - {"shopdesk"}
    assert on_disk and sorted(on_disk - listed) == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
