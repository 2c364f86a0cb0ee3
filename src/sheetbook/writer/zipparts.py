"""Surgical zip editing: copy untouched entries raw, write only the parts that change.

:class:`SourceZip` reads a package's central directory itself (so that every entry's local
header, compressed bytes, data descriptor and central record can be copied *verbatim*, without
decompressing or recompressing), and uses :mod:`zipfile` only to read the decompressed text of
the few small parts sheetbook edits. :class:`ZipOut` writes a new archive: raw copies of the
untouched entries, in their original order, followed or interleaved with new entries that it
deflates in a stream (a sheet of 100k rows is never held whole).

New entries carry fixed metadata (1980-01-01 00:00, no extra fields, MS-DOS attributes), so the
same content always gives the same bytes. Archives that need ZIP64 (a part or the file over
4 GiB, or more than 65,535 entries) are refused: no spreadsheet a shop keeps comes near that.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import NotAWorkbookError, WriteError

#: Deflate level for the parts sheetbook writes. Level 1 deflates sheet XML about 4x faster
#: than level 6 for a ~25% larger part; the result tab is the only big part we write.
COMPRESS_LEVEL = 1
CHUNK = 1 << 20

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # signature … extra length (30 bytes)
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # 46 bytes
_END = struct.Struct("<4s4H2LH")  # 22 bytes
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_DD_SIG = b"PK\x07\x08"
_DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_MAX32 = 0xFFFFFFFF


@dataclass(frozen=True)
class Entry:
    """One entry of the source archive, as found in its central directory.

    Attributes:
        name: the entry name (decoded as zip readers do: UTF-8 when flagged, else cp437).
        central: the raw central-directory record (46 bytes + name + extra + comment).
        flags: general purpose bit flags.
        compress_size / file_size / crc: from the central record.
        offset: where the local header starts.
    """

    name: str
    central: bytes
    flags: int
    compress_size: int
    file_size: int
    crc: int
    offset: int


def _bad(path_label: str, why: str) -> NotAWorkbookError:
    return NotAWorkbookError(f"无法读取工作簿 {path_label}：{why}",
                             f"Cannot read the workbook {path_label}: {why}")


class SourceZip:
    """A read-only view of an .xlsx/.xlsm package.

    Args:
        fp: a seekable binary file object holding the whole archive.
        label: a name for messages (usually the file name).
    """

    def __init__(self, fp: BinaryIO, label: str) -> None:
        self.fp = fp
        self.label = label
        self.entries: list[Entry] = self._read_central()
        self.by_name: dict[str, Entry] = {}
        self._folded: dict[str, str] = {}
        for e in self.entries:
            if e.name.casefold() in self._folded:
                raise _bad(label, f"duplicate zip entry {e.name}")
            self.by_name[e.name] = e
            self._folded[e.name.casefold()] = e.name
        try:
            fp.seek(0)
            self.zf = zipfile.ZipFile(fp)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _bad(label, str(exc)) from exc

    def close(self) -> None:
        """Close the zip reader (before its file is closed, so nothing is left for the GC)."""
        self.zf.close()

    # ------------------------------------------------------------------------- reading
    def _read_central(self) -> list[Entry]:
        fp = self.fp
        try:
            fp.seek(0, 2)
            size = fp.tell()
            tail_len = min(size, 22 + 65535)
            fp.seek(size - tail_len)
            tail = fp.read(tail_len)
        except OSError as exc:
            raise _bad(self.label, str(exc)) from exc
        pos = tail.rfind(_END_SIG)
        if pos < 0 or len(tail) - pos < 22:
            raise _bad(self.label, "not a zip archive (an .xlsx/.xlsm is a zip file)")
        (_, disk, _disk_cd, n_disk, n_total, cd_size, cd_offset, _clen) = _END.unpack(
            tail[pos:pos + 22])
        if disk != 0 or n_disk != n_total:
            raise _bad(self.label, "multi-disk zip archives are not supported")
        if cd_offset == _MAX32 or n_total == 0xFFFF or cd_size == _MAX32:
            raise _bad(self.label, "ZIP64 archives (over 4 GiB) are not supported")
        fp.seek(cd_offset)
        cd = fp.read(cd_size)
        if len(cd) != cd_size:
            raise _bad(self.label, "truncated central directory")
        entries: list[Entry] = []
        i = 0
        for _ in range(n_total):
            if cd[i:i + 4] != _CENTRAL_SIG or i + 46 > len(cd):
                raise _bad(self.label, "corrupt central directory")
            f = _CENTRAL.unpack(cd[i:i + 46])
            flags, crc, csize, usize = f[5], f[9], f[10], f[11]
            nlen, xlen, clen, offset = f[12], f[13], f[14], f[18]
            end = i + 46 + nlen + xlen + clen
            raw_name = cd[i + 46:i + 46 + nlen]
            name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
            if _MAX32 in (csize, usize, offset):
                raise _bad(self.label, "ZIP64 entries (over 4 GiB) are not supported")
            entries.append(Entry(name, cd[i:end], flags, csize, usize, crc, offset))
            i = end
        return entries

    def has(self, name: str) -> bool:
        """Whether the package holds this part (part names compare case-insensitively)."""
        return name.casefold() in self._folded

    def real_name(self, name: str) -> str | None:
        """The stored spelling of a part name, or None when absent."""
        return self._folded.get(name.casefold())

    def read(self, name: str) -> bytes:
        """The decompressed bytes of a (small) part."""
        real = self.real_name(name)
        if real is None:
            raise _bad(self.label, f"missing part {name}")
        try:
            return self.zf.read(real)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise _bad(self.label, f"{name}: {exc}") from exc

    def read_text(self, name: str) -> str:
        """A part decoded as UTF-8 text (a UTF-8 byte order mark is dropped)."""
        data = self.read(name)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _bad(self.label, f"{name} is not UTF-8 XML") from exc

    def iter_chunks(self, name: str, size: int = CHUNK) -> Iterator[bytes]:
        """The decompressed bytes of a part, chunk by chunk (bounded memory)."""
        real = self.real_name(name)
        if real is None:
            raise _bad(self.label, f"missing part {name}")
        try:
            with self.zf.open(real) as fh:
                while chunk := fh.read(size):
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise _bad(self.label, f"{name}: {exc}") from exc

    def raw_pieces(self, entry: Entry) -> Iterator[bytes]:
        """The entry's local header, compressed data and data descriptor, as stored."""
        fp = self.fp
        fp.seek(entry.offset)
        head = fp.read(30)
        if len(head) != 30 or head[:4] != _LOCAL_SIG:
            raise _bad(self.label, f"bad local header for {entry.name}")
        nlen, xlen = struct.unpack("<2H", head[26:30])
        name_extra = fp.read(nlen + xlen)
        yield head + name_extra
        zip64 = _has_zip64_extra(name_extra[nlen:])
        left = entry.compress_size
        while left:
            chunk = fp.read(min(CHUNK, left))
            if not chunk:
                raise _bad(self.label, f"truncated data for {entry.name}")
            left -= len(chunk)
            yield chunk
        if entry.flags & 0x08:
            size = 20 if zip64 else 12  # crc + two sizes (8 bytes each with ZIP64)
            dd = fp.read(size + 4)
            yield dd if dd[:4] == _DD_SIG else dd[:size]


def _has_zip64_extra(extra: bytes) -> bool:
    i = 0
    while i + 4 <= len(extra):
        tag, ln = struct.unpack("<2H", extra[i:i + 4])
        if tag == 1:
            return True
        i += 4 + ln
    return False


@dataclass
class _Written:
    central: bytes  # the central record with the offset field still to be set
    offset: int


class ZipOut:
    """A zip archive being written to a seekable binary file.

    Use :meth:`copy_raw` for untouched entries, :meth:`write` / :meth:`stream` for new content,
    then :meth:`close` to write the central directory.
    """

    def __init__(self, fp: BinaryIO) -> None:
        self.fp = fp
        self.written: list[_Written] = []
        self.names: set[str] = set()

    def _add_name(self, name: str) -> None:
        key = name.casefold()
        if key in self.names:
            raise WriteError(f"内部错误：重复的部件 {name}", f"internal error: duplicate part {name}")
        self.names.add(key)

    def copy_raw(self, src: SourceZip, entry: Entry) -> None:
        """Copy an entry byte for byte: local header, compressed data, descriptor, central record."""
        self._add_name(entry.name)
        offset = self.fp.tell()
        for piece in src.raw_pieces(entry):
            self.fp.write(piece)
        self._check32(self.fp.tell())
        self.written.append(_Written(entry.central, offset))

    def write(self, name: str, data: bytes) -> None:
        """Write a new entry holding ``data`` (deflated, fixed metadata)."""
        with self.stream(name) as sink:
            sink(data)

    @contextmanager
    def stream(self, name: str) -> Iterator[_Sink]:
        """Write a new entry chunk by chunk: ``with out.stream(name) as w: w(b"...")``."""
        self._add_name(name)
        raw_name = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        offset = self.fp.tell()
        self.fp.write(_LOCAL.pack(_LOCAL_SIG, 20, 0, flags, zipfile.ZIP_DEFLATED, 0,
                                  _DOS_DATE_1980, 0, 0, 0, len(raw_name), 0))
        self.fp.write(raw_name)
        sink = _Sink(self.fp)
        yield sink
        sink.finish()
        end = self.fp.tell()
        self._check32(end)
        self._check32(sink.size)
        self.fp.seek(offset + 14)
        self.fp.write(struct.pack("<3L", sink.crc, sink.csize, sink.size))
        self.fp.seek(end)
        central = _CENTRAL.pack(_CENTRAL_SIG, 20, 0, 20, 0, flags, zipfile.ZIP_DEFLATED, 0,
                                _DOS_DATE_1980, sink.crc, sink.csize, sink.size,
                                len(raw_name), 0, 0, 0, 0, 0, 0) + raw_name
        self.written.append(_Written(central, offset))

    def close(self) -> None:
        """Write the central directory and the end record."""
        if len(self.written) >= 0xFFFF:
            raise WriteError("工作簿的部件太多（超过 65535 个）", "too many zip entries (over 65,535)")
        start = self.fp.tell()
        for w in self.written:
            rec = bytearray(w.central)
            struct.pack_into("<L", rec, 42, w.offset)
            self.fp.write(rec)
        end = self.fp.tell()
        self._check32(end)
        n = len(self.written)
        self.fp.write(_END.pack(_END_SIG, 0, 0, n, n, end - start, start, 0))
        self.fp.flush()

    @staticmethod
    def _check32(value: int) -> None:
        if value >= _MAX32:
            raise WriteError("工作簿超过 4 GiB，无法写入", "the workbook would exceed 4 GiB (ZIP64)")


class _Sink:
    """Deflates chunks into the output file, tracking CRC and sizes."""

    def __init__(self, fp: BinaryIO) -> None:
        self.fp = fp
        self.comp = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
        self.crc = 0
        self.size = 0
        self.csize = 0

    def __call__(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        out = self.comp.compress(data)
        if out:
            self.csize += len(out)
            self.fp.write(out)

    def writelines(self, chunks: Iterable[bytes]) -> None:
        """Write every chunk of an iterable."""
        for chunk in chunks:
            self(chunk)

    def finish(self) -> None:
        """Flush the compressor."""
        out = self.comp.flush()
        self.csize += len(out)
        self.fp.write(out)
