"""The command line loads only what a command uses (issue 18).

``shopdesk --help`` and ``--version`` load no command group and none of the big
libraries; a command loads its own group only. The parser built that way shows the
same help as the whole one, for every command.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from shopdesk import __version__, i18n
from shopdesk.cli import GROUPS, build_parser, main
from shopdesk.cli.parser import COMMANDS
from tests.conftest import ROOT

HEAVY = ("peewee", "reportlab", "openpyxl", "PIL", "shopdesk.store", "argon2")

# Runs the command as the console script does and writes what it loaded, even when
# argparse ends the process with SystemExit.
PROBE = """
import atexit, json, sys
atexit.register(lambda: open(sys.argv[1], "w").write(json.dumps(sorted(sys.modules))))
from shopdesk.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _loaded(tmp_path, *argv: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    modules = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(modules), *argv], capture_output=True, text=True,
        cwd=ROOT, env=dict(os.environ, SHOPDESK_HOME=str(tmp_path / "home")), check=False,
    )  # fmt: skip
    return done, set(json.loads(modules.read_text()))


def _groups_in(loaded: set[str]) -> set[str]:
    return {group for group in GROUPS if group in loaded}


@pytest.mark.parametrize("argv", [["--help"], ["--lang", "en", "--help"], ["--version"], []])
def test_help_and_version_load_no_group_and_no_big_library(tmp_path, argv):
    done, loaded = _loaded(tmp_path, *argv)
    assert done.returncode == (2 if not argv else 0), done.stderr
    assert _groups_in(loaded) == set()
    assert [name for name in HEAVY if name in loaded] == []
    if argv == ["--version"]:
        assert done.stdout == f"ShopDesk {__version__}\n"
        assert "shopdesk.i18n" not in loaded and "argparse" not in loaded
    else:
        shown = done.stdout
        assert all(f"\n    {name} " in shown for name, _group, _help in COMMANDS), shown


@pytest.mark.parametrize(
    ("argv", "group"),
    [
        (["labels", "papers"], "shopdesk.cli.labels"),
        (["--lang", "en", "doctor", "--help"], "shopdesk.cli.backup"),
        (["search", "--help"], "shopdesk.cli.product"),
    ],
)
def test_a_command_loads_its_own_group_only(tmp_path, argv, group):
    done, loaded = _loaded(tmp_path, *argv)
    assert done.returncode == 0, done.stderr
    assert _groups_in(loaded) == {group}


def _registered(group: str) -> list[tuple[str, str]]:
    commands = argparse.ArgumentParser().add_subparsers()
    __import__(group, fromlist=["register"]).register(commands)
    return [(action.dest, str(action.help)) for action in commands._choices_actions]


def test_the_command_table_names_what_each_group_registers_in_order():
    i18n.set_language("en")  # the help lines are then their message ids
    try:
        registered = [
            (name, group.rsplit(".", 1)[1], help_text)
            for group in GROUPS
            for name, help_text in _registered(group)
        ]
    finally:
        i18n.set_language("id")
    assert registered == list(COMMANDS)


def _paths(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _paths(sub, [*prefix, name])
    return found


def test_every_command_shows_the_same_help_as_the_whole_parser(capsys, home, monkeypatch):
    monkeypatch.setattr(argparse, "_", i18n.gettext)  # as main does, before building
    whole = build_parser()
    paths = _paths(whole, [])
    assert len(paths) > 80
    for path in paths:
        expected = whole
        for name in path:
            action = next(a for a in expected._actions if isinstance(a, argparse._SubParsersAction))
            expected = action.choices[name]
        with pytest.raises(SystemExit) as stop:
            main([*path, "--help"])
        assert stop.value.code == 0
        assert capsys.readouterr().out == expected.format_help(), path


@pytest.mark.parametrize(
    "argv", [["labels", "papers"], ["labels", "designs"], ["labels", "print", "--help"]]
)
def test_label_commands_that_render_nothing_load_no_renderer_and_no_database(tmp_path, argv):
    done, loaded = _loaded(tmp_path, *argv)
    assert done.returncode == 0, done.stderr
    assert [name for name in (*HEAVY, "phonenumbers", "shopdesk.opener") if name in loaded] == []


def test_a_label_print_loads_the_renderer_but_not_the_backup_code(tmp_path):
    home = tmp_path / "home"
    env = dict(os.environ, SHOPDESK_HOME=str(home))
    subprocess.run([sys.executable, "-m", "shopdesk", "demo"], env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    pdf = tmp_path / "labels.pdf"
    os.environ["SHOPDESK_PIN"] = "123456"
    try:
        done, loaded = _loaded(
            tmp_path, "labels", "print", "--seller", "kopi", "--sku", "KOPI-0001", "-o", str(pdf)
        )
    finally:
        del os.environ["SHOPDESK_PIN"]
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "reportlab" in loaded
    backup = {name for name in loaded if name.startswith("shopdesk.backup")}
    assert backup == {"shopdesk.backup", "shopdesk.backup.workfiles"}  # restore leftovers only
    # The shop's number is stored normalised: no phone-number parser to print it again.
    assert "phonenumbers" not in loaded


def test_the_catalog_loads_pillow_only_to_open_a_photo():
    code = "import sys, shopdesk.catalog; print(sorted(m for m in sys.modules if 'PIL' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
