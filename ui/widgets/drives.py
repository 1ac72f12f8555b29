"""USB sticks and other removable volumes, for a one-click choice of where to write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStorageInfo
from PySide6.QtWidgets import QMenu

from shopdesk.drives import is_removable
from shopdesk.i18n import _


@dataclass(frozen=True)
class Volume:
    name: str
    path: Path
    free_bytes: int


def removable_volumes() -> list[Volume]:
    found = []
    for info in QStorageInfo.mountedVolumes():
        root = info.rootPath()
        if not info.isValid() or not info.isReady() or info.isReadOnly():
            continue
        if not is_removable(Path(root)):
            continue
        name = info.displayName() or info.name() or root
        found.append(Volume(name, Path(root), info.bytesAvailable()))
    return found


def fill_stick_menu(menu: QMenu, chosen: Callable[[Path], object]) -> None:
    """``menu`` lists the sticks plugged in now (``chosen`` gets the one picked), or says
    that there is none."""
    menu.clear()
    volumes = removable_volumes()
    for volume in volumes:
        text = _("{name} ({path}, {free} MB free)").format(
            name=volume.name, path=volume.path, free=volume.free_bytes // 1_000_000
        )
        action = menu.addAction(text)
        action.triggered.connect(lambda _c=False, p=volume.path: chosen(p))
    if not volumes:
        action = menu.addAction(_("No USB stick found. Plug one in and try again."))
        action.setEnabled(False)
