"""Where a SQLite file lies: a warning when it is on a network share.

SQLite's locking is not reliable over network file systems (NFS, SMB/CIFS, …): two
machines writing one file there can corrupt it. Several machines share PostgreSQL
instead (README); desk warns when its SQLite database is on such a share.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb2", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs", "ncpfs",
    "davfs", "webdav", "afpfs", "fuse.sshfs", "sshfs", "fuse.glusterfs", "fuse.davfs2", "fuse.rclone", "fuse.s3fs",
})


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash in mount points as octal escapes.
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\"))


def linux_filesystem(path: Path, mountinfo: str) -> str | None:
    """The file system type of the mount holding ``path``, from /proc/self/mountinfo text."""
    best, best_type = "", None
    target = str(path)
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        mount_point = _unescape(fields[4])
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, right.split()[0]
    return best_type


def filesystem_type(path: Path) -> str | None:
    """The file system type holding ``path`` where the platform tells it, else None."""
    resolved = Path(os.path.abspath(path))
    system = sys.platform   # a variable: mypy, checking for one platform, would call the others unreachable
    if system.startswith("linux"):
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        return linux_filesystem(resolved, mountinfo)
    if system == "win32":
        return _windows_drive_type(resolved)
    return None


def _windows_drive_type(resolved: Path) -> str | None:
    text = str(resolved)
    if text.startswith("\\\\"):
        return "unc"
    import ctypes

    drive_remote = 4
    root = resolved.anchor or text[:3]
    windll = getattr(ctypes, "windll")  # noqa: B009 - Windows only: mypy on Linux does not know it
    return "remote" if windll.kernel32.GetDriveTypeW(root) == drive_remote else None


def network_share_warning(path: Path, fs_type: str | None = None) -> str | None:
    """A warning for a SQLite database on a network share, else None."""
    fs_type = fs_type if fs_type is not None else filesystem_type(path.parent)
    if fs_type is None or (fs_type not in NETWORK_FILESYSTEMS and fs_type not in ("unc", "remote")):
        return None
    return (f"データベース {path} はネットワーク上の共有フォルダ（{fs_type}）にあります。"
            "複数の端末で同じファイルを使うと壊れるおそれがあります。共有するときは PostgreSQL の共有サーバーを"
            "お使いください（README「共有サーバー」）。")
