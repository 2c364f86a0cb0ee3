"""The file port's safe writer: result tabs and appended rows, without harming the user's book.

Only the parts that must change are written; every other zip entry (VBA project, buttons and
their drawings, images, charts, comments, data validations, custom XML, theme, shared strings,
the user's sheets) is copied byte for byte, compressed bytes included. The listing parts
(``[Content_Types].xml``, ``xl/workbook.xml`` and its rels, ``xl/styles.xml`` when formats are
missing) are edited as text. The new file is written beside the book and swapped in atomically
after a backup of the previous version; see :mod:`.safe`. ``xl/calcChain.xml`` is dropped and
``fullCalcOnLoad`` set when tabs are written; ``docProps/app.xml`` (an informational list of
sheet titles that Excel rewrites on save and ignores on load) and ``docProps/core.xml`` are
left alone.

Public API::

    write_tabs(book, specs, *, out=None, password=None, dry_run=False, keep_backups=10)
    append_rows(book, sheet_name, rows, *, password=None, out=None, dry_run=False, keep_backups=10)
    restore(book, backup=None) / list_backups(book)
    is_result_sheet(book, sheet_name, *, password=None)
    result_sheets(book, *, password=None)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..tabspec import TabSpec
from .book import apply_edit, open_book, parse_errors
from .report import WriteReport
from .safe import BackupInfo, list_backups, lock_files
from .safe import restore as _restore

__all__ = [
    "BackupInfo",
    "WriteReport",
    "append_rows",
    "is_result_sheet",
    "list_backups",
    "lock_files",
    "restore",
    "result_sheets",
    "write_tabs",
]


def write_tabs(book: Path, specs: Sequence[TabSpec], *, out: Path | None = None,
               password: str | None = None, dry_run: bool = False,
               keep_backups: int = 10) -> WriteReport:
    """Add or rebuild each spec's result tab in an existing .xlsx/.xlsm book.

    A tab named like an existing sheet replaces it in place when that sheet is sheetbook's own
    (its A1 starts with the banner); a user's sheet of that name raises
    :class:`~sheetbook.errors.ClashError` and nothing is written. New tabs go after the last
    sheet.

    Args:
        book: the workbook (password-protected books need ``password``).
        specs: the tabs to write.
        out: write the result to this file instead; the book itself is untouched (no backup).
        password: the book's password; the result is encrypted with it again.
        dry_run: plan only; the report says what would change and nothing is written.
        keep_backups: how many backups of the book to keep (0: none).

    Raises:
        LockedError: the book is open in Excel, WPS or LibreOffice.
        ClashError: a user's sheet carries a spec's name.
        EncryptedError: a password is needed, or it is wrong.
        NotAWorkbookError: the file is not a readable .xlsx/.xlsm.
        WriteError: the book cannot be written safely (it changed meanwhile, disk errors …).
    """
    from .tabs import check_specs, plan_tabs

    check_specs(specs)
    return apply_edit(Path(book), out, password, dry_run, keep_backups,
                      lambda src: plan_tabs(src, specs))


def append_rows(book: Path, sheet_name: str, rows: list[list[object]], *,
                password: str | None = None, out: Path | None = None, dry_run: bool = False,
                keep_backups: int = 10) -> WriteReport:
    """Append rows of values below the last used row of an input sheet.

    Values are ``str`` (written as text, never as a formula), ``int``, ``float``, ``Decimal``,
    ``datetime.date`` (a serial number with a date format), ``bool`` or ``None`` (empty). The
    rows above are copied byte for byte; the sheet's dimension, its autoFilter and the Excel
    Table holding the last used row are extended to cover the new rows.

    Raises:
        MissingSheetError: the book has no worksheet of that name.
        LockedError, EncryptedError, NotAWorkbookError, WriteError: as :func:`write_tabs`.
    """
    from .append import plan_append

    rows = [list(r) for r in rows]
    return apply_edit(Path(book), out, password, dry_run, keep_backups,
                      lambda src: plan_append(src, sheet_name, rows))


def restore(book: Path, backup: str | None = None) -> Path:
    """Put a backup of the book back in its place; returns the backup file restored.

    ``backup`` is a backup's file name, time stamp or path (default: the newest). The current
    version is backed up first, so a restore can itself be undone.
    """
    return _restore(Path(book), backup)


def result_sheets(book: Path, *, password: str | None = None) -> list[str]:
    """The names of the sheets that are sheetbook result tabs (A1 starts with the banner)."""
    from .workbook import Workbook, is_result_part

    with open_book(Path(book), password) as ob, parse_errors(Path(book)):
        wb = Workbook(ob.src)
        return [s.name for s in wb.sheets() if is_result_part(wb, s)]


def is_result_sheet(book: Path, sheet_name: str, *, password: str | None = None) -> bool:
    """Whether the book's sheet ``sheet_name`` is a sheetbook result tab (False if absent)."""
    from .workbook import Workbook, is_result_part

    with open_book(Path(book), password) as ob, parse_errors(Path(book)):
        wb = Workbook(ob.src)
        for s in wb.sheets():
            if s.name.casefold() == sheet_name.casefold():
                return is_result_part(wb, s)
    return False
