"""Opening the file: is it a workbook we can read safely? One clear error if not.

Everything that can go wrong before a single cell is read is decided here, in bounded time and
memory, without changing the file:

- missing or empty file, a directory;
- not a zip (a CSV or text file renamed ``.xlsx``), a truncated zip, a zip that is not a
  workbook (``.docx``, ``.ods``), a legacy ``.xls`` (say: save as .xlsx);
- a password-protected book: decrypted in memory with msoffcrypto-tool using ``--password`` or
  ``SHEETBOOK_PASSWORD``; no or a wrong password is an :class:`~sheetbook.errors.EncryptedError`;
- hostile zips: more than :data:`MAX_ENTRIES` entries, a part that would inflate beyond
  :data:`MAX_PART_BYTES`, or all parts together beyond :data:`MAX_TOTAL_BYTES` (sizes are
  checked from the directory first, then while inflating, so a lying header cannot slip by);
- XML with a DOCTYPE or entity declarations (entity-expansion attacks): refused.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EncryptedError, NotAWorkbookError, NotFoundError, UnsafeBookError

#: Limits (documented in the README). A 300k-row book is about 150 MB of XML.
MAX_ENTRIES = 10_000
MAX_PART_BYTES = 1 << 30  # 1 GiB for one part
MAX_TOTAL_BYTES = 2 << 30  # 2 GiB for all parts
MAX_FILE_BYTES = 1 << 30  # 1 GiB on disk
PASSWORD_ENV = "SHEETBOOK_PASSWORD"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 1 << 20


@dataclass
class OpenedBook:
    """A workbook that passed the checks.

    Attributes:
        path: the file on disk.
        data: the decrypted bytes when the book was encrypted, else None (read from path).
        password: the password that opened it (to write it back encrypted), or None.
        parts: zip entry names.
        no_value: worksheet part → its cells (letters, row) holding a formula with no cached
            value, found while the part was inflated for the size check (see
            :func:`sheetbook.reader.formulas_without_value`), so the sheet is not inflated again.
        errors: worksheet part → its cells (letters, row, shown value) holding an Excel error
            value such as ``#N/A`` (calamine reports those as empty too).
    """

    path: Path
    data: bytes | None
    password: str | None
    parts: list[str]
    no_value: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    errors: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)

    def source(self):
        """What to hand to a zip or calamine reader: the path, or an in-memory file."""
        return io.BytesIO(self.data) if self.data is not None else self.path


def _say(path: Path, zh: str, en: str, cls=NotAWorkbookError):
    return cls(f"{path.name}: {zh}", f"{path.name}: {en}")


def open_book(path: str | os.PathLike, password: str | None = None) -> OpenedBook:
    """Check that ``path`` is a readable, safe .xlsx/.xlsm workbook and open it.

    Raises a :class:`~sheetbook.errors.BookError` subclass with a one-line message otherwise.
    """
    path = Path(path)
    if not path.exists():
        raise _say(path, "文件不存在，请检查路径", "file not found; check the path", NotFoundError)
    if path.is_dir():
        raise _say(path, "这是一个文件夹，不是工作簿", "this is a folder, not a workbook")
    size = path.stat().st_size
    if size == 0:
        raise _say(path, "文件是空的（0 字节），请换一个文件或从备份恢复",
                   "the file is empty (0 bytes); use another copy or restore a backup")
    if size > MAX_FILE_BYTES:
        raise _say(path, f"文件超过 {MAX_FILE_BYTES >> 20} MB，超出 sheetbook 的处理上限",
                   f"the file is larger than {MAX_FILE_BYTES >> 20} MB, beyond sheetbook's limit",
                   UnsafeBookError)
    with path.open("rb") as fh:
        head = fh.read(8)
    data: bytes | None = None
    used_password = None
    if head.startswith(_OLE_MAGIC):
        data, used_password = _decrypt(path, password)
    elif not head.startswith(_ZIP_MAGIC):
        raise _not_zip(path, head)
    source = io.BytesIO(data) if data is not None else path
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise _say(path, "文件已损坏或不完整（zip 结构无法读取）；请从备份恢复或重新保存",
                   "the file is damaged or truncated (unreadable zip); restore a backup or save it again") from None
    no_value: dict[str, list[tuple[str, int]]] = {}
    errors: dict[str, list[tuple[str, int, str]]] = {}
    with zf:
        parts = _check_zip(path, zf, no_value, errors)
    return OpenedBook(path=path, data=data, password=used_password, parts=parts, no_value=no_value,
                      errors=errors)


def _not_zip(path: Path, head: bytes) -> NotAWorkbookError:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    if sample.lstrip().startswith((b"<?xml", b"<html", b"<HTML", b"<!DOCTYPE")):
        return _say(path, "这是 XML/HTML 文本，不是 .xlsx 工作簿；请在 Excel 中打开后另存为 .xlsx",
                    "this is XML/HTML text, not an .xlsx workbook; open it in Excel and save as .xlsx")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            if "," in text or "\t" in text:
                return _say(path, "这是 CSV/文本文件，不是 Excel 工作簿；请在 Excel 中打开后另存为 .xlsx",
                            "this is a CSV/text file, not an Excel workbook; open it in Excel and save it as .xlsx")
            return _say(path, "这是文本文件，不是 Excel 工作簿", "this is a text file, not an Excel workbook")
    return _say(path, "不是 Excel 工作簿（.xlsx/.xlsm）", "not an Excel workbook (.xlsx/.xlsm)")


def _decrypt(path: Path, password: str | None) -> tuple[bytes, str]:
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError

    try:
        with path.open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
    except Exception:  # noqa: BLE001 - any OLE parse failure means: not a book we can read
        encrypted = False
        office = None
    if office is None or not encrypted or office.format != "ooxml":
        raise _say(path, "这是旧版 Excel 97-2003 (.xls) 文件；请在 Excel 或 WPS 中“另存为” .xlsx 后再用",
                   "this is a legacy Excel 97-2003 (.xls) file; save it as .xlsx in Excel or WPS first")
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    if not password:
        raise _say(path, "工作簿有密码保护：请用 --password 或环境变量 SHEETBOOK_PASSWORD 提供密码",
                   "the workbook is password-protected: give --password or set SHEETBOOK_PASSWORD",
                   EncryptedError)
    out = io.BytesIO()
    try:
        with path.open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=password)
            office.decrypt(out)
    except (InvalidKeyError, DecryptionError):
        raise _say(path, "密码不正确，无法打开工作簿", "wrong password; the workbook cannot be opened",
                   EncryptedError) from None
    except (FileFormatError, Exception) as exc:  # noqa: BLE001
        raise _say(path, f"无法解密工作簿（{type(exc).__name__}）",
                   f"cannot decrypt the workbook ({type(exc).__name__})", EncryptedError) from None
    return out.getvalue(), password


def _check_zip(path: Path, zf: zipfile.ZipFile,
               no_value: dict[str, list[tuple[str, int]]] | None = None,
               errors: dict[str, list[tuple[str, int, str]]] | None = None) -> list[str]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _say(path, f"zip 内有 {len(infos)} 个部件，超出上限 {MAX_ENTRIES}，拒绝读取",
                   f"the zip holds {len(infos)} parts, over the limit of {MAX_ENTRIES}; refused",
                   UnsafeBookError)
    names = [i.filename for i in infos]
    if "mimetype" in names and "content.xml" in names:
        raise _say(path, "这是 OpenDocument (.ods) 表格；请另存为 .xlsx",
                   "this is an OpenDocument (.ods) spreadsheet; save it as .xlsx")
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise _say(path, "zip 文件中没有 Excel 工作簿（不是 .xlsx/.xlsm）",
                   "the zip holds no Excel workbook (not an .xlsx/.xlsm)")
    if "xl/workbook.bin" in names:
        raise _say(path, "这是二进制 .xlsb 工作簿；请另存为 .xlsx",
                   "this is a binary .xlsb workbook; save it as .xlsx")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES or any(i.file_size > MAX_PART_BYTES for i in infos):
        raise _bomb(path)
    total = 0
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")) or info.filename == "[Content_Types].xml":
            scan = None
            if no_value is not None and info.filename.startswith("xl/worksheets/") \
                    and info.filename.endswith(".xml"):
                scan = (no_value.setdefault(info.filename, []),
                        (errors if errors is not None else {}).setdefault(info.filename, []))
            total += _inflate_checked(path, zf, info, scan)
            if total > MAX_TOTAL_BYTES:
                raise _bomb(path)
    return names


def _bomb(path: Path) -> UnsafeBookError:
    return _say(path, f"解压后超过 {MAX_PART_BYTES >> 30} GiB（疑似 zip 炸弹），拒绝读取",
                f"it would inflate beyond {MAX_PART_BYTES >> 30} GiB (a zip bomb?); refused",
                UnsafeBookError)


#: A formula cell with no cached value (calamine reports it as empty); the same pattern as
#: :func:`sheetbook.reader.formulas_without_value`, which must stay in step with it.
#: An empty ``<v/>`` (how openpyxl saves an uncalculated formula) is no value either, except in
#: a ``t="str"`` cell, where it is Excel's way of storing a formula whose result is "".
FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(<v\s*/>|<v></v>)?(?!<v)')
#: A cell holding an Excel error value (``t="e"``): ``#N/A``, ``#DIV/0!``, ``#REF!`` …
ERROR_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\st="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]*)</v>')


def no_value_matches(xml: bytes) -> list[tuple[str, int]]:
    """The formula cells with no cached value in a stretch of whole cells."""
    if b"><f" not in xml:  # a match holds the end of a <c …> tag followed by <f
        return []
    return [(m.group(1).decode(), int(m.group(2))) for m in FORMULA_NO_VALUE.finditer(xml)
            if not (m.group(4) and b't="str"' in m.group(3))]


def error_matches(xml: bytes) -> list[tuple[str, int, str]]:
    """The cells holding an Excel error value in a stretch of whole cells."""
    if b't="e"' not in xml:
        return []
    return [(m.group(1).decode(), int(m.group(2)), m.group(3).decode("utf-8", "replace"))
            for m in ERROR_VALUE.finditer(xml)]


def _scan_no_value(xml: bytes, found: tuple[list, list]) -> None:
    """Add the no-value formula cells and the error cells of a stretch of whole cells."""
    found[0].extend(no_value_matches(xml))
    found[1].extend(error_matches(xml))


def _inflate_checked(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
                     no_value: tuple[list, list] | None = None) -> int:
    """Inflate one XML part in chunks, never past its declared size; refuse DOCTYPE/ENTITY.

    With ``no_value`` (a worksheet), also collect its formula cells without a cached value. The
    chunks are cut before the last ``<c `` seen, so no cell is split between two scans.
    """
    limit = min(info.file_size, MAX_PART_BYTES)
    seen = 0
    head = b""
    tail = b""
    edge = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                seen += len(chunk)
                if seen > limit:
                    raise _bomb(path)
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                if b"<!" in chunk or b"<!" in edge + chunk[:16]:
                    _refuse_dtd(path, info, edge + chunk)
                edge = chunk[-16:]
                if no_value is not None:
                    buf = tail + chunk if tail else chunk
                    cut = buf.rfind(b"<c ")
                    if cut < 0:  # no cell starts here: only a split "<c" can matter later
                        tail = buf[-2:]
                    else:
                        _scan_no_value(buf[:cut], no_value)
                        tail = buf[cut:]
            if no_value is not None and tail:
                _scan_no_value(tail, no_value)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _say(path, f"文件已损坏（部件 {info.filename} 无法解压）；请从备份恢复",
                   f"the file is damaged (part {info.filename} cannot be inflated); restore a backup") from exc
    except NotImplementedError:
        raise _say(path, f"部件 {info.filename} 使用了不支持的压缩方式",
                   f"part {info.filename} uses an unsupported compression") from None
    return seen


def _refuse_dtd(path: Path, info: zipfile.ZipInfo, data: bytes) -> None:
    """Refuse a part that declares a DOCTYPE or entities anywhere (entity-expansion attacks)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _say(path, f"部件 {info.filename} 含有 DOCTYPE/实体声明（可能是恶意文件），拒绝读取",
                   f"part {info.filename} declares a DOCTYPE or entities (possibly hostile); refused",
                   UnsafeBookError)


def read_part(opened: OpenedBook, name: str) -> bytes | None:
    """The inflated bytes of one zip part (already size-checked), or None if absent."""
    with zipfile.ZipFile(opened.source()) as zf:
        try:
            return zf.read(name)
        except KeyError:
            return None



def sheet_aliases(sheet) -> set[str]:
    """Normalised names under which a layout sheet is recognised."""
    from .text import normalize_header

    return {normalize_header(n) for n in (sheet.zh, sheet.en, *sheet.aliases)}


def match_sheets(names) -> tuple[dict[str, str], str]:
    """Map layout keys to the book's sheet names; also tell the book's language (zh/en)."""
    from .layout import SHEETS
    from .text import normalize_header

    found: dict[str, str] = {}
    english = chinese = 0
    for sheet in SHEETS:
        keys = sheet_aliases(sheet)
        for name in names:
            if normalize_header(name) in keys and sheet.key not in found:
                found[sheet.key] = name
                if normalize_header(name) == normalize_header(sheet.en):
                    english += 1
                else:
                    chinese += 1
    return found, ("en" if english > chinese else "zh")


class Prefetch:
    """Open a book and read its input sheets' cells in a background thread.

    The command line starts one before it imports pandas (about a second): the container checks
    and calamine's parsing release the GIL, so the import and the reading overlap, and so do
    the conversion of one sheet and the parsing of the next. The thread reads the sheets that
    :func:`match_sheets` picks, in the layout's order, and stays at most one sheet ahead of the
    reader (:meth:`take`), so no more raw cells are alive than without it, plus one sheet.
    Errors are kept for the reader to raise where it always did: :meth:`opened` raises what
    :func:`open_book` raises. Nothing here imports pandas.
    """

    def __init__(self, path: str | os.PathLike, password: str | None = None):
        import queue
        import threading

        self.path, self.password = Path(path), password
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._opened_ready = threading.Event()
        self._names_ready = threading.Event()
        self._opened: OpenedBook | None = None
        self._error: BaseException | None = None
        self._workbook_error: Exception | None = None
        self._names: list[str] = []
        self._stop = False
        self._done = False
        self._thread = threading.Thread(target=self._run, name="sheetbook-prefetch", daemon=True)
        self._thread.start()

    def matches(self, path: str | os.PathLike, password: str | None) -> bool:
        """Whether this prefetch reads that book with that password."""
        return Path(path) == self.path and password == self.password

    def opened(self) -> OpenedBook:
        """The opened book (raises what :func:`open_book` raises)."""
        self._opened_ready.wait()
        if self._error is not None:
            raise self._error
        assert self._opened is not None
        return self._opened

    def sheet_names(self) -> tuple[list[str], Exception | None]:
        """The book's sheet names as calamine sees them, or the error opening it with calamine."""
        self.opened()
        self._names_ready.wait()
        return self._names, self._workbook_error

    def take(self) -> tuple[str, list | None, object, Exception | None] | None:
        """The next sheet read: (name, rows, merged ranges, error), or None when no more."""
        if self._done:
            return None
        item = self._queue.get()
        if item is None:
            self._done = True
        return item

    def close(self) -> None:
        """Stop reading ahead and let the thread end (the reader needs no more sheets)."""
        import queue

        self._stop = True
        while not self._done:
            try:
                if self._queue.get(timeout=0.05) is None:
                    self._done = True
            except queue.Empty:
                if not self._thread.is_alive():
                    self._done = True
        self._thread.join()

    def _run(self) -> None:
        try:
            try:
                self._opened = open_book(self.path, self.password)
            except BaseException as exc:  # noqa: BLE001 - raised again in the reader's thread
                self._error = exc
                return
            finally:
                self._opened_ready.set()
            try:
                import python_calamine as pc

                opened = self._opened
                wb = pc.CalamineWorkbook.from_filelike(opened.source()) if opened.data is not None \
                    else pc.CalamineWorkbook.from_path(str(opened.path))
                self._names = list(wb.sheet_names)
            except Exception as exc:  # noqa: BLE001 - the reader words it
                self._workbook_error = exc
                return
            finally:
                self._names_ready.set()
            from .layout import SHEETS

            found, _ = match_sheets(self._names)
            for sheet in SHEETS:
                name = found.get(sheet.key)
                if name is None:
                    continue
                if self._stop:
                    return
                self._queue.put(self._read(wb, name))
        finally:
            self._names_ready.set()
            self._queue.put(None)

    @staticmethod
    def _read(wb, name: str) -> tuple[str, list | None, object, Exception | None]:
        try:
            ws = wb.get_sheet_by_name(name)
            rows = ws.to_python(skip_empty_area=False)
            return name, rows, ws.merged_cell_ranges, None
        except Exception as exc:  # noqa: BLE001 - the reader words it
            return name, None, None, exc
