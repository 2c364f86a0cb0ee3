"""Opening a book for a surgical edit, and carrying the edit out safely.

An edit is a set of parts with new content (bytes, or a function streaming chunks) and a set of
parts to drop; every other entry is copied raw. :func:`apply_edit` runs the common path of every
writing command: lock check, open (decrypting when needed), plan, dry run or atomic commit with
a backup, encrypt again.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import NotAWorkbookError, NotFoundError, SheetbookError
from . import crypto, safe
from .report import WriteReport
from .zipparts import SourceZip, ZipOut

Content = bytes | Callable[[], Iterable[bytes]]


@dataclass
class Edit:
    """The parts a run writes and drops.

    Attributes:
        parts: part name → new content (bytes, or a function returning byte chunks). Parts the
            book has keep their place in the archive; new parts go at the end, in this order.
        delete: parts to leave out (a name also in ``parts`` is written, not dropped).
    """

    parts: dict[str, Content] = field(default_factory=dict)
    delete: set[str] = field(default_factory=set)


@dataclass
class OpenBook:
    """A book opened for editing.

    Attributes:
        src: the (decrypted) package.
        encrypted: whether the file on disk is password-protected.
        snapshot: the file's size and mtime when read.
    """

    src: SourceZip
    encrypted: bool
    snapshot: safe.Snapshot


@contextmanager
def open_book(book: Path, password: str | None) -> Iterator[OpenBook]:
    """Open a book (decrypting it in memory when it is password-protected)."""
    snapshot = safe.Snapshot.of(book)
    if book.is_dir():
        raise NotAWorkbookError(f"{book} 是文件夹，不是工作簿", f"{book} is a folder, not a workbook")
    try:
        fh: BinaryIO = open(book, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise NotFoundError(f"无法打开 {book}：{exc}", f"Cannot open {book}: {exc}") from exc
    try:
        head = fh.read(8)
        encrypted = crypto.is_ole(head)
        if encrypted:
            fp: BinaryIO = crypto.decrypt(fh, password, book.name)
        elif head[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
            why = "空文件" if not head else "不是 zip（.xlsx/.xlsm 是 zip 文件；CSV 改了扩展名？）"
            why_en = "empty file" if not head else "not a zip (an .xlsx/.xlsm is a zip; a renamed CSV?)"
            raise NotAWorkbookError(f"无法读取工作簿 {book.name}：{why}",
                                    f"Cannot read the workbook {book.name}: {why_en}")
        else:
            fp = fh
        source = SourceZip(fp, book.name)
        try:
            yield OpenBook(source, encrypted, snapshot)
        finally:
            source.close()
    finally:
        fh.close()


@contextmanager
def parse_errors(book: Path) -> Iterator[None]:
    """Turn a parser's low-level error on a malformed book into one :class:`NotAWorkbookError`."""
    try:
        yield
    except SheetbookError:
        raise
    except (ValueError, KeyError, IndexError, zlib.error, EOFError, struct.error) as exc:
        raise NotAWorkbookError(f"无法解析工作簿 {book.name}：{exc}",
                                f"Cannot parse the workbook {book.name}: {exc}") from exc


def write_package(src: SourceZip, edit: Edit, out: BinaryIO) -> None:
    """Write the edited package: raw copies, replaced parts in place, new parts at the end."""
    z = ZipOut(out)
    done: set[str] = set()
    folded = {name.casefold(): name for name in edit.parts}
    dropped = {name.casefold() for name in edit.delete}
    for entry in src.entries:
        key = entry.name.casefold()
        if key in folded:
            _write(z, entry.name, edit.parts[folded[key]])
            done.add(key)
        elif key not in dropped:
            z.copy_raw(src, entry)
    for name, content in edit.parts.items():
        if name.casefold() not in done:
            _write(z, name, content)
    z.close()


def _write(z: ZipOut, name: str, content: Content) -> None:
    with z.stream(name) as sink:
        if isinstance(content, bytes):
            sink(content)
        else:
            sink.writelines(content())


Planner = Callable[[SourceZip], tuple[Edit, WriteReport]]


def apply_edit(book: Path, out: Path | None, password: str | None, dry_run: bool,
               keep_backups: int, plan: Planner) -> WriteReport:
    """Check locks, open, plan, then (unless a dry run) write atomically with a backup."""
    book = Path(book)
    target = Path(out) if out is not None else book
    in_place = target.absolute() == book.absolute() or (target.exists() and target.samefile(book))
    if not book.exists():
        raise NotFoundError(f"找不到工作簿 {book}", f"No such workbook: {book}")
    safe.check_unlocked(book)
    if not in_place:
        safe.check_unlocked(target)
    with open_book(book, password) as ob:
        with parse_errors(book):
            edit, report = plan(ob.src)
        report.path = target
        report.dry_run = dry_run
        report.unchanged = not (edit.parts or edit.delete)
        if dry_run or report.unchanged:
            return report

        def produce(fh: BinaryIO) -> None:
            if ob.encrypted:
                plain = io.BytesIO()
                write_package(ob.src, edit, plain)
                crypto.encrypt(plain, password or "", fh)
            else:
                write_package(ob.src, edit, fh)

        def before_replace() -> Path | None:
            if not in_place:
                safe.check_unlocked(target)
                return None
            safe.guard(book, ob.snapshot)
            return safe.make_backup(book, keep_backups)

        report.backup = safe.commit(target, produce, mode_from=book, before_replace=before_replace)
    return report
