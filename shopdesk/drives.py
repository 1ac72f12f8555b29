"""Is a folder on a removable drive (a USB stick or memory card)?

Only then may the app or the CLI say "the stick can be removed now": a bundle or backup
written to the PC's own disk or a network share has nothing to pull out.

- Linux: the block device holding the folder's mount (``/proc/self/mounts``), then its disk
  in sysfs: ``/sys/block/<disk>/removable`` is 1, or the disk hangs off a USB bus (many
  USB sticks and card readers report ``removable`` 0). Both roots are parameters so a
  test can build a fake sysfs.
- Windows: ``GetDriveTypeW`` of the folder's drive says ``DRIVE_REMOVABLE``.
- macOS: a volume under ``/Volumes``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SYS_ROOT = Path("/sys")
MOUNTS = Path("/proc/self/mounts")
_DRIVE_REMOVABLE = 2  # GetDriveTypeW


def is_removable(folder: Path, *, sys_root: Path = SYS_ROOT, mounts: Path = MOUNTS) -> bool:
    """True when ``folder`` lies on a removable drive; False when unsure."""
    if sys.platform == "win32":
        return _windows_removable(folder)
    if sys.platform == "darwin":
        return Path(os.path.realpath(folder)).parts[1:2] == ("Volumes",)
    device = mount_device(folder, mounts=mounts)
    return device is not None and block_removable(device, sys_root=sys_root)


def mount_device(folder: Path, *, mounts: Path = MOUNTS) -> str | None:
    """The block device name (``sdb1``) mounted nearest above ``folder``, or None."""
    target = os.path.realpath(folder)
    best, best_len = None, -1
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            continue
        source, point = fields[0], _unescape(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best_len:
            best, best_len = source, len(point)
    if best is None or not best.startswith("/dev/"):
        return None
    return Path(os.path.realpath(best)).name  # /dev/disk/by-uuid/… links to /dev/sdb1


def block_removable(device: str, *, sys_root: Path = SYS_ROOT) -> bool:
    """``device`` (a disk ``sdb`` or a partition ``sdb1``) is on a removable or USB disk."""
    disk = _disk_of(device, sys_root / "block")
    if disk is None:
        return False
    try:
        if (disk / "removable").read_text(encoding="ascii").strip() == "1":
            return True
    except OSError:
        pass
    return "/usb" in os.path.realpath(disk)


def _disk_of(device: str, block: Path) -> Path | None:
    if (block / device).is_dir():
        return block / device
    try:
        disks = list(block.iterdir())
    except OSError:
        return None
    return next((d for d in disks if (d / device).is_dir()), None)


def _unescape(point: str) -> str:
    # /proc/mounts writes a space in a mount point as \040 (and tab, newline, backslash)
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        point = point.replace(code, char)
    return point


def _windows_removable(folder: Path) -> bool:
    if sys.platform != "win32":  # keeps mypy on Linux away from windll
        return False
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(folder))[0]
    if not drive:
        return False
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return bool(kind == _DRIVE_REMOVABLE)
