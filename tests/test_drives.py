"""Is a folder on a removable drive? Linux reads /proc/self/mounts and sysfs; here both are
fakes built in tmp_path, laid out as the kernel lays them out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from shopdesk import drives

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux sysfs layout")


def fake_sysfs(root: Path) -> Path:
    """sda: the PC's own disk; sdb: a stick saying removable=1; sdc: a USB disk saying 0;
    mmcblk0: a built-in card reader on no USB bus, removable=0."""
    devices = root / "devices"
    layout = {
        "sda": ("pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block", "0", ["sda1"]),
        "sdb": ("pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host6/block", "1", ["sdb1"]),
        "sdc": ("pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host7/block", "0", ["sdc1"]),
        "mmcblk0": ("platform/mmc0/mmc0:0001/block", "0", ["mmcblk0p1"]),
    }
    (root / "block").mkdir(parents=True)
    for disk, (parent, removable, parts) in layout.items():
        real = devices / parent / disk
        real.mkdir(parents=True)
        (real / "removable").write_text(removable + "\n")
        for part in parts:
            (real / part).mkdir()
        (root / "block" / disk).symlink_to(os.path.relpath(real, root / "block"))
    return root


def fake_mounts(path: Path, *rows: tuple[str, Path]) -> Path:
    lines = [f"{src} {str(point).replace(' ', chr(92) + '040')} vfat rw 0 0" for src, point in rows]
    path.write_text("proc /proc proc rw 0 0\n" + "\n".join(lines) + "\n")
    return path


def test_block_devices_from_a_fake_sysfs(tmp_path):
    sys_root = fake_sysfs(tmp_path / "sys")
    assert drives.block_removable("sdb1", sys_root=sys_root)  # removable=1
    assert drives.block_removable("sdb", sys_root=sys_root)
    assert drives.block_removable("sdc1", sys_root=sys_root)  # removable=0 but on USB
    assert not drives.block_removable("sda1", sys_root=sys_root)
    assert not drives.block_removable("mmcblk0p1", sys_root=sys_root)
    assert not drives.block_removable("nvme0n1p2", sys_root=sys_root)  # unknown


def test_a_folder_on_a_stick_and_one_on_the_pc(tmp_path):
    sys_root = fake_sysfs(tmp_path / "sys")
    stick = tmp_path / "media" / "ibu" / "FLASH DISK"
    inside = stick / "ekspor" / "toko"
    inside.mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    mounts = fake_mounts(tmp_path / "mounts", ("/dev/sda1", tmp_path), ("/dev/sdb1", stick))
    assert drives.mount_device(inside, mounts=mounts) == "sdb1"  # nearest mount, \040 read
    assert drives.is_removable(inside, sys_root=sys_root, mounts=mounts)
    assert drives.is_removable(stick, sys_root=sys_root, mounts=mounts)
    assert not drives.is_removable(home, sys_root=sys_root, mounts=mounts)
    # a sibling whose name only starts like the stick's mount point is not on it
    sibling = tmp_path / "media" / "ibu" / "FLASH DISK 2"
    sibling.mkdir()
    assert not drives.is_removable(sibling, sys_root=sys_root, mounts=mounts)


def test_network_and_unknown_mounts_are_not_removable(tmp_path):
    sys_root = fake_sysfs(tmp_path / "sys")
    share = tmp_path / "share"
    share.mkdir()
    mounts = fake_mounts(tmp_path / "mounts", ("//nas/toko", share))
    assert not drives.is_removable(share, sys_root=sys_root, mounts=mounts)
    assert not drives.is_removable(share, sys_root=sys_root, mounts=tmp_path / "missing")


def test_this_machines_temp_folder_is_not_a_stick(tmp_path):
    assert not drives.is_removable(tmp_path)
