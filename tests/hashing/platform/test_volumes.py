"""The volume of a path: Linux for real (a tmpfs mounted read-only included), udev's and
sysfs's records from a laid-out tree, and the macOS and Windows paths against fakes that
record what they were asked (a `diskutil info -plist` and a `kernel32`)."""

from __future__ import annotations

import ctypes
import json
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.hashing.platform import volumes
from workbench.hashing.platform.volumes import (
    FILE_READ_ONLY_VOLUME,
    SEM_FAILCRITICALERRORS,
    Volume,
    linux_volume,
    macos_volume,
    mounted_volumes,
    volume_of,
    windows_volume,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux mount table")


# -- Linux, for real -----------------------------------------------------------------------


@linux_only
@pytest.mark.skipif(shutil.which("findmnt") is None, reason="needs util-linux findmnt")
def test_volume_of_a_folder_matches_findmnt(tmp_path: Path) -> None:
    volume = volume_of(tmp_path)
    found = json.loads(subprocess.run(
        ["findmnt", "--json", "--target", str(tmp_path), "-o", "TARGET,SOURCE,FSTYPE,OPTIONS"],
        capture_output=True, check=True, text=True,
    ).stdout)["filesystems"][0]
    assert str(volume.mount_point) == found["target"]
    assert volume.device == found["source"]
    assert volume.file_system == found["fstype"]
    assert volume.read_only == ("ro" in found["options"].split(","))
    assert volume.total_bytes == psutil.disk_usage(found["target"]).total


def test_a_tmpfs_mounted_read_only_reads_as_read_only(tmpfs: Any) -> None:
    read_only, writable = tmpfs.mount("ro", "ro"), tmpfs.mount("rw", "rw")
    for point, expected in ((read_only, True), (writable, False)):
        volume = volume_of(point)
        assert volume.mount_point == point
        assert volume.file_system == "tmpfs"
        assert volume.read_only is expected
        assert volume.total_bytes == 2**20
        assert (volume.uuid, volume.label, volume.removable) == ("", "", None)  # none exposed


def test_a_path_inside_a_mount_gets_that_mount_not_its_parent(tmpfs: Any) -> None:
    point = tmpfs.mount("export")
    (point / "DVR" / "ch01").mkdir(parents=True)
    volume = volume_of(point / "DVR" / "ch01")
    assert volume.mount_point == point
    assert volume_of(point.parent).mount_point != point


@pytest.fixture
def disk_image(tmp_path: Path) -> Iterator[Path]:
    """A small ext4 image labelled DVR_EXPORT, loop-mounted read-only (root only)."""
    if shutil.which("mkfs.ext4") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux and e2fsprogs' mkfs.ext4")
    image, point = tmp_path / "stick.img", tmp_path / "DVR_EXPORT"
    with image.open("wb") as handle:
        handle.truncate(4 * 2**20)
    subprocess.run(["mkfs.ext4", "-q", "-L", "DVR_EXPORT", str(image)], check=True)
    point.mkdir()
    done = subprocess.run(["mount", "-o", "loop,ro", str(image), str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"loop-mounting an image is not permitted here: {done.stderr.strip()}")
    yield point
    subprocess.run(["umount", str(point)], check=True)


def test_a_loop_mounted_image_names_its_file_and_is_listed(disk_image: Path) -> None:
    volume = volume_of(disk_image)
    assert volume.mount_point == disk_image
    assert (volume.file_system, volume.read_only) == ("ext4", True)
    assert volume.device.startswith("/dev/loop")
    assert volume.drive == f"image {disk_image.parent / 'stick.img'}"
    assert volume in mounted_volumes()


def test_a_missing_path_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        volume_of(tmp_path / "unplugged")


@linux_only
def test_mounted_volumes_are_the_devices_of_the_mount_table_removable_first() -> None:
    listed = mounted_volumes()
    devices = {part.mountpoint for part in psutil.disk_partitions(all=False)}
    assert listed, "no mounted volume found"
    assert {str(volume.mount_point) for volume in listed} <= devices
    order = [not volume.removable for volume in listed]
    assert order == sorted(order)


# -- Linux: udev links and sysfs, laid out as udev and the kernel lay them -----------------


@pytest.fixture
def usb_stick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A mount of `/dev/sdb1` (a stand-in file) at `tmp/mnt`, with its udev links and sysfs."""
    dev = tmp_path / "dev"
    dev.mkdir()
    device = dev / "sdb1"
    device.touch()
    for kind, name in (("by-uuid", "1A2B-3C4D"), ("by-label", r"DVR\x20EXPORT\xe2\x82\xac"),
                       ("by-uuid", "ffff-0000")):
        (dev / "disk" / kind).mkdir(parents=True, exist_ok=True)
        target = device if name != "ffff-0000" else dev / "sda1"
        (dev / "disk" / kind / name).symlink_to(target)
    disk = tmp_path / "sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/block/sdb"
    (disk / "sdb1").mkdir(parents=True)
    (disk / "sdb1" / "partition").write_text("1\n")
    (disk / "device").mkdir()
    (disk / "device" / "vendor").write_text("SanDisk \n")
    (disk / "device" / "model").write_text("Ultra Fit       \n")
    (disk / "removable").write_text("0\n")
    (tmp_path / "sys/class/block").mkdir(parents=True)
    (tmp_path / "sys/class/block/sdb1").symlink_to(disk / "sdb1")
    mount = tmp_path / "mnt"
    mount.mkdir()
    partition = psutil.disk_partitions(all=True)[0]._replace(
        device=str(device), mountpoint=str(mount), fstype="vfat")
    real = psutil.disk_partitions
    monkeypatch.setattr(psutil, "disk_partitions", lambda all=False: [*real(all), partition])
    return {"mount": mount, "dev_disk": dev / "disk", "sys_block": tmp_path / "sys/class/block",
            "disk": disk}


@linux_only
def test_udev_links_and_sysfs_give_uuid_label_and_drive(usb_stick: dict[str, Path]) -> None:
    volume = linux_volume(str(usb_stick["mount"]), dev_disk=usb_stick["dev_disk"],
                          sys_block=usb_stick["sys_block"])
    assert volume.mount_point == usb_stick["mount"]
    assert volume.file_system == "vfat"
    assert volume.uuid == "1A2B-3C4D"
    assert volume.label == "DVR EXPORT€"
    assert volume.drive == "SanDisk Ultra Fit"
    assert volume.removable is True  # removable flag 0, but the disk hangs off a USB bus
    assert volume.drive_serial == ""


@linux_only
def test_without_udev_or_sysfs_the_fields_stay_empty(usb_stick: dict[str, Path],
                                                     tmp_path: Path) -> None:
    volume = linux_volume(str(usb_stick["mount"]), dev_disk=tmp_path / "none",
                          sys_block=tmp_path / "none")
    assert (volume.uuid, volume.label, volume.drive, volume.drive_serial) == ("", "", "", "")
    assert volume.removable is None


@linux_only
def test_a_fixed_disk_with_a_serial(usb_stick: dict[str, Path]) -> None:
    disk = usb_stick["disk"].parents[6] / "0000:00:17.0/ata1/host0/block/sdb"
    shutil.copytree(usb_stick["disk"], disk, symlinks=True)
    (disk / "device" / "serial").write_text("WD-WX12345\n")
    link = usb_stick["sys_block"] / "sdb1"
    link.unlink()
    link.symlink_to(disk / "sdb1")
    volume = linux_volume(str(usb_stick["mount"]), dev_disk=usb_stick["dev_disk"],
                          sys_block=usb_stick["sys_block"])
    assert (volume.removable, volume.drive_serial) == (False, "WD-WX12345")


_UDEV_SAFE = set(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+-.:=@_")


def _udev_escape(label: str) -> str:
    """What udev names a link for `label`: unsafe bytes (and `\\`) as `\\xNN`."""
    return "".join(chr(b) if b in _UDEV_SAFE else f"\\x{b:02x}" for b in label.encode())


@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40))
def test_udev_escapes_decode_back_to_the_label(label: str) -> None:
    assert volumes._unescape_udev(_udev_escape(label)) == label


# -- macOS: a fake diskutil ------------------------------------------------------------------


DVR_STICK = {
    "BusProtocol": "USB",
    "DeviceIdentifier": "disk4s1",
    "DeviceNode": "/dev/disk4s1",
    "Ejectable": True,
    "FilesystemName": "ExFAT",
    "FilesystemType": "exfat",
    "Internal": False,
    "MediaName": "SanDisk Ultra Fit",
    "MountPoint": "/Volumes/DVR_EXPORT",
    "RemovableMediaOrExternalDevice": True,
    "TotalSize": 61_530_439_680,
    "VolumeName": "DVR_EXPORT",
    "VolumeUUID": "3C8A1C0E-2F43-3D5B-9E1A-6B1F7C2D9A10",
    "WritableVolume": True,
}
"""The keys `diskutil info -plist` gives for a USB stick's exFAT volume."""


class FakeDiskutil:
    def __init__(self, output: bytes | Exception) -> None:
        self.output = output
        self.asked: list[str] = []

    def __call__(self, mount_point: str) -> bytes:
        self.asked.append(mount_point)
        if isinstance(self.output, Exception):
            raise self.output
        return self.output


def test_macos_reads_diskutil_info_of_the_mount_point(tmp_path: Path) -> None:
    diskutil = FakeDiskutil(plistlib.dumps(DVR_STICK))
    volume = macos_volume(str(tmp_path), diskutil=diskutil)
    base = volumes._posix_base(str(tmp_path))
    assert diskutil.asked == [str(base.mount_point)]
    assert volume.model_dump() == {
        **base.model_dump(),
        "device": "/dev/disk4s1", "file_system": "exfat", "label": "DVR_EXPORT",
        "uuid": "3C8A1C0E-2F43-3D5B-9E1A-6B1F7C2D9A10", "removable": True,
        "drive": "SanDisk Ultra Fit", "total_bytes": 61_530_439_680,
    }


def test_macos_internal_volume_is_not_removable(tmp_path: Path) -> None:
    internal = {**DVR_STICK, "RemovableMediaOrExternalDevice": False, "Ejectable": False,
                "MediaName": "", "TotalSize": 0}
    volume = macos_volume(str(tmp_path), diskutil=FakeDiskutil(plistlib.dumps(internal)))
    assert volume.removable is False
    assert volume.drive == ""
    assert volume.total_bytes == volumes._posix_base(str(tmp_path)).total_bytes  # 0: not a size


@pytest.mark.parametrize("output", [
    subprocess.CalledProcessError(1, "diskutil"),
    subprocess.TimeoutExpired("diskutil", 10),
    FileNotFoundError(2, "No such file", "/usr/sbin/diskutil"),
    b"",
    b"not a plist",
    b"<?xml version='1.0'?><plist><dict><key>VolumeName</key>",
    plistlib.dumps(["a", "list"]),
    plistlib.dumps({"VolumeName": 7, "TotalSize": "big", "Removable": "yes"}),
])
def test_macos_without_a_usable_answer_keeps_what_the_mount_table_says(
        tmp_path: Path, output: bytes | Exception) -> None:
    volume = macos_volume(str(tmp_path), diskutil=FakeDiskutil(output))
    base = volumes._posix_base(str(tmp_path)).model_dump()
    assert {k: v for k, v in volume.model_dump().items() if k != "removable"} == {
        k: v for k, v in base.items() if k != "removable"}
    assert volume.label == "" and volume.uuid == ""


# -- Windows: a fake kernel32 ----------------------------------------------------------------


class FakeKernel32:
    """Answers kernel32's volume calls for one drive and records every call."""

    def __init__(self, *, root: str = "E:\\", has_media: bool = True, drive_type: int = 2,
                 flags: int = FILE_READ_ONLY_VOLUME | 0x2) -> None:
        self.root, self.has_media, self.drive_type, self.flags = root, has_media, drive_type, flags
        self.calls: list[tuple[Any, ...]] = []

    def SetThreadErrorMode(self, mode: int, old: Any) -> int:  # noqa: N802 - Win32 names
        self.calls.append(("SetThreadErrorMode", mode))
        if old is not None:
            old._obj.value = 0x8000
        return 1

    def GetVolumePathNameW(self, path: str, buffer: Any, size: int) -> int:  # noqa: N802
        self.calls.append(("GetVolumePathNameW", path, size))
        if not path.upper().startswith(self.root[:2]):
            return 0
        buffer.value = self.root
        return 1

    def GetVolumeInformationW(self, root: str, label: Any, label_size: int, serial: Any,  # noqa: N802
                              max_name: Any, flags: Any, fs_name: Any, fs_size: int) -> int:
        self.calls.append(("GetVolumeInformationW", root, label_size, fs_size))
        if not self.has_media:
            return 0
        label.value, fs_name.value = "DVR_EXPORT", "exFAT"
        serial._obj.value, max_name._obj.value, flags._obj.value = 0x1A2B3C4D, 255, self.flags
        return 1

    def GetVolumeNameForVolumeMountPointW(self, root: str, buffer: Any, size: int) -> int:  # noqa: N802
        self.calls.append(("GetVolumeNameForVolumeMountPointW", root, size))
        buffer.value = "\\\\?\\Volume{6F1D2B3A-0C4E-11EF-9A1B-806E6F6E6963}\\"
        return 1

    def GetDiskFreeSpaceExW(self, root: str, free: Any, total: Any, total_free: Any) -> int:  # noqa: N802
        self.calls.append(("GetDiskFreeSpaceExW", root, free, total_free))
        if not self.has_media:
            return 0
        total._obj.value = 64_021_856_256
        return 1

    def GetDriveTypeW(self, root: str) -> int:  # noqa: N802
        self.calls.append(("GetDriveTypeW", root))
        return self.drive_type


def test_windows_volume_of_a_usb_stick_mounted_read_only() -> None:
    kernel32 = FakeKernel32()
    volume = windows_volume("E:\\DVR_EXPORT\\ch01", kernel32=kernel32)
    assert volume == Volume(
        mount_point=Path("E:\\"), device="\\\\?\\Volume{6F1D2B3A-0C4E-11EF-9A1B-806E6F6E6963}\\",
        file_system="exFAT", read_only=True, label="DVR_EXPORT",
        uuid="6f1d2b3a-0c4e-11ef-9a1b-806e6f6e6963", serial="1A2B-3C4D", removable=True,
        total_bytes=64_021_856_256,
    )
    names = [call[0] for call in kernel32.calls]
    assert names[0] == names[-1] == "SetThreadErrorMode"
    assert kernel32.calls[0] == ("SetThreadErrorMode", SEM_FAILCRITICALERRORS)
    assert kernel32.calls[-1] == ("SetThreadErrorMode", 0x8000)  # the old mode restored
    assert kernel32.calls[1] == ("GetVolumePathNameW", "E:\\DVR_EXPORT\\ch01", 261)
    assert ("GetVolumeInformationW", "E:\\", 261, 261) in kernel32.calls
    assert ("GetDiskFreeSpaceExW", "E:\\", None, None) in kernel32.calls


def test_windows_fixed_writable_volume() -> None:
    volume = windows_volume("C:\\Users", kernel32=FakeKernel32(root="C:\\", drive_type=3,
                                                               flags=0x2))
    assert (volume.read_only, volume.removable) == (False, False)


def test_windows_drive_without_media_leaves_its_fields_empty() -> None:
    kernel32 = FakeKernel32(root="D:\\", has_media=False, drive_type=5)
    volume = windows_volume("D:\\", kernel32=kernel32)
    assert volume.read_only is None
    assert (volume.label, volume.file_system, volume.serial) == ("", "", "")
    assert volume.total_bytes is None
    assert volume.removable is True  # an optical drive
    assert kernel32.calls[-1][0] == "SetThreadErrorMode"


def test_windows_path_on_no_volume_raises_and_restores_the_error_mode() -> None:
    kernel32 = FakeKernel32(root="E:\\")
    with pytest.raises(OSError, match="GetVolumePathNameW"):
        windows_volume("Q:\\nowhere", kernel32=kernel32)
    assert kernel32.calls[-1] == ("SetThreadErrorMode", 0x8000)


def test_windows_buffers_are_wide_and_big_enough() -> None:
    """kernel32's W calls take UTF-16 buffers of MAX_PATH + 1 characters."""
    seen: list[Any] = []

    class Recording(FakeKernel32):
        def GetVolumePathNameW(self, path: str, buffer: Any, size: int) -> int:  # noqa: N802
            seen.append(buffer)
            return super().GetVolumePathNameW(path, buffer, size)

    windows_volume("E:\\", kernel32=Recording())
    assert isinstance(seen[0], ctypes.Array) and seen[0]._type_ is ctypes.c_wchar
    assert len(seen[0]) == volumes.MAX_PATH + 1


def test_the_implementation_is_chosen_for_this_os() -> None:
    expected = {"win32": windows_volume, "darwin": macos_volume}.get(sys.platform, linux_volume)
    assert volumes._identify is expected


def test_only_this_module_runs_diskutil_and_it_asks_for_a_plist(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[list[str]] = []

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        ran.append(command)
        assert kwargs["timeout"] == volumes.DISKUTIL_TIMEOUT and kwargs["check"]
        return subprocess.CompletedProcess(command, 0, plistlib.dumps(DVR_STICK), b"")

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert plistlib.loads(volumes.run_diskutil("/Volumes/DVR_EXPORT")) == DVR_STICK
    assert ran == [["/usr/sbin/diskutil", "info", "-plist", "/Volumes/DVR_EXPORT"]]


def test_volume_of_accepts_path_like(tmp_path: Path) -> None:
    assert volume_of(tmp_path) == volume_of(os.fspath(tmp_path))
