"""The volume a path lives on, as the operating system records it, and the mounted volumes.

Mount points, devices and file-system types come from `psutil`; the rest from each OS's
own records: on Linux `/dev/disk/by-uuid`, `/dev/disk/by-label` and sysfs; on macOS
`diskutil info -plist`; on Windows `GetVolumeInformationW` and its neighbours in kernel32.
A field the OS does not expose is left empty (`""` or None), never guessed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import plistlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol
from xml.parsers.expat import ExpatError

import psutil

from workbench.errors import HashingError
from workbench.model import Contract

DEV_DISK = Path("/dev/disk")
"""Where udev keeps its by-uuid / by-label links (Linux)."""
SYS_BLOCK = Path("/sys/class/block")
"""sysfs's block devices (Linux)."""
DISKUTIL = "/usr/sbin/diskutil"
"""macOS's disk utility."""
DISKUTIL_TIMEOUT = 10.0
"""Seconds to wait for `diskutil` (a hung drive must not hang the planner)."""


class Volume(Contract):
    """One mounted volume as the OS records it; what the OS does not expose stays empty."""

    error_class: ClassVar = HashingError

    mount_point: Path
    """Where the volume is mounted (`/media/usb`, `/Volumes/DVR`, `E:\\`)."""
    device: str = ""
    """The device or volume name (`/dev/sdb1`, `/dev/disk4s1`, `\\\\?\\Volume{…}\\`)."""
    file_system: str = ""
    """File-system type (`vfat`, `exfat`, `ntfs`, `apfs`, `ext4`, `tmpfs`, …)."""
    read_only: bool | None = None
    """True when the volume is mounted read-only (None: the OS did not say)."""
    label: str = ""
    """The volume label (name)."""
    uuid: str = ""
    """The file system's UUID as the OS names it (a FAT/exFAT volume ID on Linux; the
    volume GUID on Windows)."""
    serial: str = ""
    """The volume serial number (Windows, `XXXX-XXXX`)."""
    removable: bool | None = None
    """True for removable media or a drive on a USB bus (None: the OS did not say)."""
    drive: str = ""
    """The drive's vendor and model, its media name, or the image file a loop device reads."""
    drive_serial: str = ""
    """The drive's serial number, where the OS exposes it."""
    total_bytes: int | None = None
    """Size of the volume in bytes."""

    @property
    def access(self) -> str:
        """`read-only`, `read-write`, or empty when the OS did not say."""
        return {True: "read-only", False: "read-write", None: ""}[self.read_only]

    def summary(self) -> str:
        """The volume in one line: mount point, then every fact the OS gave."""
        facts = [
            self.file_system,
            f"label {self.label}" if self.label else "",
            f"UUID {self.uuid}" if self.uuid else "",
            f"serial {self.serial}" if self.serial else "",
            self.drive,
            f"drive serial {self.drive_serial}" if self.drive_serial else "",
            f"{self.total_bytes:,} bytes" if self.total_bytes is not None else "",
            "removable" if self.removable else "",
            self.access,
        ]
        return f"{self.mount_point} ({', '.join(fact for fact in facts if fact)})"


# -- POSIX: mount point, read-only flag and size ------------------------------------------


class _Partition(Protocol):
    """A row of psutil's mount table."""

    @property
    def device(self) -> str: ...
    @property
    def mountpoint(self) -> str: ...
    @property
    def fstype(self) -> str: ...


def _mount_of(real: str) -> _Partition | None:
    """The mount table entry `real` (a resolved path) lives on: the longest mount point
    above it on the same device; of several at one place, the last (the one visible)."""
    device = Path(real).stat().st_dev
    best: _Partition | None = None
    for part in psutil.disk_partitions(all=True):
        mount = part.mountpoint
        if not _is_under(real, mount) or (best and len(mount) < len(best.mountpoint)):
            continue
        with contextlib.suppress(OSError):
            if Path(mount).stat().st_dev == device:
                best = part
    return best


def _is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _mount_point(real: str) -> str:
    """Walk up to the mount point when the mount table has no entry (never a guess)."""
    path = Path(real)
    while not path.is_mount():
        path = path.parent
    return str(path)


def _posix_base(path: str) -> Volume:
    real = os.path.realpath(path)
    part = _mount_of(real)
    mount = part.mountpoint if part else _mount_point(real)
    info = os.statvfs(real)
    volume = Volume(
        mount_point=Path(mount),
        device=part.device if part else "",
        file_system=part.fstype if part else "",
        read_only=bool(info.f_flag & os.ST_RDONLY),
        total_bytes=info.f_blocks * info.f_frsize,
    )
    return volume


# -- Linux: udev links and sysfs ------------------------------------------------------------


def linux_volume(path: str, *, dev_disk: Path = DEV_DISK, sys_block: Path = SYS_BLOCK) -> Volume:
    """The volume of `path` from the mount table, statvfs, udev's links and sysfs."""
    volume = _posix_base(path)
    if not volume.device.startswith("/"):  # not a device node: tmpfs, overlay, NFS, …
        return volume
    device = os.path.realpath(volume.device)
    disk = _sysfs_disk(sys_block / Path(device).name)
    return volume.model_copy(update={
        "uuid": _udev_name(dev_disk / "by-uuid", device),
        "label": _udev_name(dev_disk / "by-label", device),
        **(_sysfs_facts(disk) if disk else {}),
    })


def _udev_name(folder: Path, device: str) -> str:
    """The name of the link in `folder` that points at `device`, udev's escapes decoded."""
    try:
        links = sorted(folder.iterdir())
    except OSError:
        return ""
    for link in links:
        if os.path.realpath(link) == device:
            return _unescape_udev(link.name)
    return ""


def _unescape_udev(name: str) -> str:
    """udev writes unsafe bytes of a label as `\\xNN` (`My\\x20Drive` is `My Drive`)."""
    raw = re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m[1], 16)]), os.fsencode(name))
    return raw.decode("utf-8", errors="replace")


def _sysfs_disk(block: Path) -> Path | None:
    """The sysfs folder of the whole disk a block device (or partition) belongs to."""
    try:
        real = block.resolve(strict=True)
    except OSError:
        return None
    return real.parent if (real / "partition").exists() else real


_USB_BUS = re.compile(r"usb\d+")


def _sysfs_facts(disk: Path) -> dict[str, Any]:
    vendor, model = _read(disk / "device" / "vendor"), _read(disk / "device" / "model")
    image = _read(disk / "loop" / "backing_file")  # a mounted disk image
    flag = _read(disk / "removable")
    on_usb = any(_USB_BUS.fullmatch(part) for part in disk.parts)  # …/usb2/2-1/…/block/sdb
    drive = f"{vendor} {model}".strip() if model else ""  # no model: a bus id, not a name
    return {
        "removable": (flag == "1" or on_usb) if flag or on_usb else None,
        "drive": f"image {image}" if image else drive,
        "drive_serial": _read(disk / "serial") or _read(disk / "device" / "serial"),
    }


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


# -- macOS: diskutil ------------------------------------------------------------------------

Diskutil = Callable[[str], bytes]
"""Runs `diskutil info -plist MOUNT_POINT` and returns its output."""


def run_diskutil(mount_point: str) -> bytes:
    """`diskutil info -plist mount_point`'s output; raises OSError or SubprocessError."""
    return subprocess.run(
        [DISKUTIL, "info", "-plist", mount_point], capture_output=True, check=True,
        timeout=DISKUTIL_TIMEOUT,
    ).stdout


def macos_volume(path: str, *, diskutil: Diskutil = run_diskutil) -> Volume:
    """The volume of `path` from the mount table, statvfs and `diskutil info -plist`."""
    volume = _posix_base(path)
    try:
        info = plistlib.loads(diskutil(str(volume.mount_point)))
    except (OSError, subprocess.SubprocessError, plistlib.InvalidFileException, ExpatError,
            ValueError):
        return volume
    if not isinstance(info, dict):
        return volume

    def text(*keys: str) -> str:
        return next((str(info[k]) for k in keys if isinstance(info.get(k), str) and info[k]), "")

    flags = [info[k] for k in ("RemovableMediaOrExternalDevice", "RemovableMedia", "Removable",
                               "Ejectable") if isinstance(info.get(k), bool)]
    size = info.get("TotalSize")
    return volume.model_copy(update={
        "device": text("DeviceNode") or volume.device,
        "file_system": text("FilesystemType") or volume.file_system,
        "label": text("VolumeName"),
        "uuid": text("VolumeUUID"),
        "removable": any(flags) if flags else None,
        "drive": text("MediaName"),
        "total_bytes": size if isinstance(size, int) and size > 0 else volume.total_bytes,
    })


# -- Windows: kernel32 ----------------------------------------------------------------------

MAX_PATH = 260
SEM_FAILCRITICALERRORS = 0x0001
"""No "insert a disk" dialog for a drive without media."""
FILE_READ_ONLY_VOLUME = 0x00080000
DRIVE_REMOVABLE, DRIVE_CDROM = 2, 5
_GUID = re.compile(r"\{([0-9A-Fa-f-]{36})\}")


def windows_volume(path: str, *, kernel32: Any = None) -> Volume:
    """The volume of `path` from kernel32: mount point, label, serial, file system, flags,
    volume GUID, drive type and size. A call that fails leaves its fields empty."""
    kernel32 = kernel32 or _kernel32()
    old_mode = ctypes.c_uint()
    kernel32.SetThreadErrorMode(SEM_FAILCRITICALERRORS, ctypes.byref(old_mode))
    try:
        root = ctypes.create_unicode_buffer(MAX_PATH + 1)
        if not kernel32.GetVolumePathNameW(path, root, len(root)):
            raise OSError(0, "GetVolumePathNameW found no volume", path, _last_error())
        return _windows_facts(kernel32, root.value)
    finally:
        kernel32.SetThreadErrorMode(old_mode.value, None)


def _windows_facts(kernel32: Any, root: str) -> Volume:
    label, file_system = (ctypes.create_unicode_buffer(MAX_PATH + 1) for _ in range(2))
    serial, max_name, flags = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_uint32()
    known = bool(kernel32.GetVolumeInformationW(
        root, label, len(label), ctypes.byref(serial), ctypes.byref(max_name),
        ctypes.byref(flags), file_system, len(file_system),
    ))
    name = ctypes.create_unicode_buffer(64)
    guid = _GUID.search(name.value) if kernel32.GetVolumeNameForVolumeMountPointW(
        root, name, len(name)) else None
    total = ctypes.c_ulonglong()
    sized = bool(kernel32.GetDiskFreeSpaceExW(root, None, ctypes.byref(total), None))
    drive_type = kernel32.GetDriveTypeW(root)
    return Volume(
        mount_point=Path(root),
        device=name.value if guid else "",
        file_system=file_system.value if known else "",
        read_only=bool(flags.value & FILE_READ_ONLY_VOLUME) if known else None,
        label=label.value if known else "",
        uuid=guid[1].lower() if guid else "",
        serial=f"{serial.value >> 16:04X}-{serial.value & 0xFFFF:04X}" if known else "",
        removable=drive_type in (DRIVE_REMOVABLE, DRIVE_CDROM) if drive_type > 1 else None,
        total_bytes=total.value if sized else None,
    )


def _last_error() -> int:
    """The calling thread's last Windows error code (0 off Windows)."""
    if sys.platform == "win32":
        return ctypes.get_last_error()
    return 0


def _kernel32() -> Any:
    if sys.platform == "win32":
        return ctypes.WinDLL("kernel32", use_last_error=True)
    raise OSError("kernel32 exists only on Windows")


# -- the OS's implementation, chosen once ---------------------------------------------------

if sys.platform == "win32":
    _identify: Callable[[str], Volume] = windows_volume
elif sys.platform == "darwin":
    _identify = macos_volume
else:
    _identify = linux_volume


def volume_of(path: str | os.PathLike[str]) -> Volume:
    """The volume `path` lives on. Raises OSError when `path` cannot be reached."""
    Path(path).stat()
    return _identify(os.fspath(path))


def mounted_volumes() -> list[Volume]:
    """Every mounted volume on a device (no pseudo file systems), removable ones first."""
    found: dict[str, Volume] = {}
    for part in psutil.disk_partitions(all=False):
        with contextlib.suppress(OSError):
            found.setdefault(part.mountpoint, volume_of(part.mountpoint))
    return sorted(found.values(), key=_browse_order)


def _browse_order(volume: Volume) -> tuple[bool, str]:
    return (not volume.removable, str(volume.mount_point))


__all__ = [
    "Volume",
    "linux_volume",
    "macos_volume",
    "mounted_volumes",
    "volume_of",
    "windows_volume",
]
