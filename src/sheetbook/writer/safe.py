"""Writing a user's file safely: lock files, atomic replace, bounded backups, restore.

- A book open in Excel or WPS has ``~$name`` beside it (Excel drops the first two characters of
  long names: ``~$me.xlsx`` for ``name.xlsx`` too); LibreOffice writes ``.~lock.name#``. While one
  exists, nothing is written.
- The new book is written to a temporary file in the same folder, flushed and fsynced, and then
  moved over the book with :func:`os.replace` (atomic on POSIX and Windows). A process killed at
  any moment leaves either the old book or the new one, never a mix.
- Before the replace, the previous version is copied to
  ``<folder>/.sheetbook/backups/<stem>.<YYYYmmdd-HHMMSS-ffffff><suffix>``; the newest
  ``keep_backups`` are kept. :func:`restore` puts one back (backing up the current version first).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import LockedError, NotFoundError, WriteError

BACKUP_DIR = Path(".sheetbook") / "backups"
_STAMP = "%Y%m%d-%H%M%S-%f"
_STAMP_RE = r"(\d{8}-\d{6}-\d{6})"
TMP_SUFFIX = ".sheetbook-tmp"


def lock_files(book: Path) -> list[Path]:
    """The lock files Excel, WPS and LibreOffice create beside an open book."""
    name = book.name
    names = {f"~${name}", f".~lock.{name}#"}
    if len(name) > 2:
        names.add(f"~${name[2:]}")
    return [book.parent / n for n in sorted(names)]


def check_unlocked(book: Path) -> None:
    """Raise :class:`LockedError` when the book is open in Excel, WPS or LibreOffice."""
    for lock in lock_files(book):
        if lock.exists():
            raise LockedError(
                f"工作簿 {book.name} 正在被 Excel/WPS/LibreOffice 打开（发现 {lock.name}）："
                "请先关闭，或使用 Excel 里的按钮运行",
                f"The workbook {book.name} is open in Excel/WPS/LibreOffice ({lock.name} exists): "
                "close it first, or use the button inside Excel")


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was read (to detect a save in between)."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        """The snapshot of a file now."""
        try:
            st = path.stat()
        except FileNotFoundError as exc:
            raise NotFoundError(f"找不到文件 {path}", f"No such file: {path}") from exc
        return cls(st.st_size, st.st_mtime_ns)


# ----------------------------------------------------------------------------- backups

@dataclass(frozen=True)
class BackupInfo:
    """One backup of a book.

    Attributes:
        path: the backup file.
        taken_at: when it was taken (local time, from its name).
        size: its size in bytes.
    """

    path: Path
    taken_at: dt.datetime
    size: int

    @property
    def name(self) -> str:
        """The backup's file name (what :func:`restore` accepts)."""
        return self.path.name

    @property
    def created(self) -> dt.datetime:
        """Same as ``taken_at``."""
        return self.taken_at


def backup_dir(book: Path) -> Path:
    """The folder holding the backups of the books in ``book``'s folder."""
    return book.parent / BACKUP_DIR


def list_backups(book: Path) -> list[BackupInfo]:
    """The backups of a book, newest first."""
    book = Path(book)
    folder = backup_dir(book)
    if not folder.is_dir():
        return []
    pat = re.compile(re.escape(book.stem) + r"\." + _STAMP_RE + re.escape(book.suffix) + "$")
    found = []
    for p in folder.iterdir():
        m = pat.match(p.name)
        if m and p.is_file():
            found.append(BackupInfo(p, dt.datetime.strptime(m.group(1), _STAMP), p.stat().st_size))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def make_backup(book: Path, keep: int) -> Path | None:
    """Copy the book into the backup folder (None when ``keep`` is 0); prune to ``keep``."""
    if keep <= 0:
        return None
    folder = backup_dir(book)
    folder.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now()
    while True:
        dest = folder / f"{book.stem}.{when.strftime(_STAMP)}{book.suffix}"
        if not dest.exists():
            break
        when += dt.timedelta(microseconds=1)
    tmp = dest.with_name(dest.name + TMP_SUFFIX)
    shutil.copy2(book, tmp)
    _fsync_file(tmp)
    os.replace(tmp, dest)
    for old in list_backups(book)[keep:]:
        old.path.unlink(missing_ok=True)
    return dest


# ----------------------------------------------------------------------------- atomic write

def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def commit(target: Path, produce: Callable[[BinaryIO], None], *, mode_from: Path,
           before_replace: Callable[[], Path | None] = lambda: None) -> Path | None:
    """Write ``target`` atomically.

    ``produce`` writes the whole new file into a temporary file beside ``target``; it is then
    flushed and fsynced, ``before_replace`` runs (checks, backup; its result is returned), and
    the temporary file replaces ``target``. On any error the temporary file is removed and
    ``target`` is untouched.
    """
    folder = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise WriteError(f"无法在 {folder} 中写入：{exc}", f"Cannot write in {folder}: {exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fh:
            produce(fh)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, stat.S_IMODE(mode_from.stat().st_mode))
        except OSError:
            pass
        result = before_replace()
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"无法写入 {target.name}：{exc}", f"Cannot write {target.name}: {exc}") from exc
        raise
    _fsync_dir(folder)
    remove_stale_temps(target)
    return result


def remove_stale_temps(target: Path, older_than: float = 600.0) -> list[Path]:
    """Delete temporary files a killed run left beside ``target`` (only those older than
    ``older_than`` seconds, so a run still writing is never disturbed)."""
    removed = []
    now = time.time()
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*{TMP_SUFFIX}"):
        try:
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


def guard(book: Path, snapshot: Snapshot) -> None:
    """Re-check, right before the replace, that nobody opened or saved the book meanwhile."""
    check_unlocked(book)
    if Snapshot.of(book) != snapshot:
        raise WriteError(f"工作簿 {book.name} 在写入期间被修改，未做任何更改；请重新运行",
                         f"The workbook {book.name} changed while sheetbook was writing; "
                         "nothing was changed, run again")


def restore(book: Path, backup: str | None = None, keep_backups: int = 10) -> Path:
    """Put a backup back in place of the book; returns the backup restored.

    ``backup`` is a backup's file name, its time stamp (``20261204-153000-123456``) or a path;
    by default the newest. The current version is backed up first, so a restore can be undone.
    """
    book = Path(book)
    backups = list_backups(book)
    if not backups:
        raise NotFoundError(f"{book.name} 没有备份", f"{book.name} has no backups")
    chosen = backups[0]
    if backup is not None:
        matches = [b for b in backups if backup in (b.path.name, str(b.path))
                   or b.path.name == f"{book.stem}.{backup}{book.suffix}"
                   or Path(backup).resolve() == b.path.resolve()]
        if not matches:
            raise NotFoundError(f"找不到备份 {backup}", f"No such backup: {backup}")
        chosen = matches[0]
    check_unlocked(book)
    source = chosen.path

    def copy_into(fh: BinaryIO) -> None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, fh, 1 << 20)

    if book.exists():
        snap = Snapshot.of(book)
        commit(book, copy_into, mode_from=book,
               before_replace=lambda: (guard(book, snap), make_backup(book, keep_backups))[1])
    else:
        commit(book, copy_into, mode_from=source)
    return source
