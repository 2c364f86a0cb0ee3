"""Exceptions: only for "cannot continue". Bad data is a :class:`~sheetbook.problems.Problem`.

::

    SheetbookError                 any condition that stops a command (CLI exit 2)
    ├── BookError                  the file is not a readable book
    │   ├── NotFoundError          no such file
    │   ├── NotAWorkbookError      empty, not a zip, truncated, CSV renamed, legacy .xls
    │   ├── UnsafeBookError        zip bomb, entity expansion, too many rows
    │   ├── EncryptedError         password needed, or the password is wrong
    │   └── MissingSheetError      a required sheet (客户, 销售, 收款) is absent
    └── WriteError                 the book cannot be written safely
        ├── LockedError            open in Excel / WPS / LibreOffice (a lock file exists)
        ├── ClashError             a user's sheet has a result tab's name
        └── ExistsError            ``init`` would overwrite a file

Each carries a Chinese and an English message; ``str()`` gives the Chinese one.
"""

from __future__ import annotations


class SheetbookError(Exception):
    """Base of every sheetbook exception: a condition under which a command cannot continue."""

    def __init__(self, zh: str, en: str | None = None) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def message(self, lang: str = "zh") -> str:
        """The message in the given language."""
        return self.en if lang == "en" else self.zh


class BookError(SheetbookError):
    """The file cannot be read as a workbook."""


class NotFoundError(BookError):
    """The file does not exist."""


class NotAWorkbookError(BookError):
    """The file is not an .xlsx/.xlsm workbook (empty, not a zip, CSV, legacy .xls …)."""


class UnsafeBookError(BookError):
    """The file would take unbounded time or memory to read (zip bomb, entity expansion)."""


class EncryptedError(BookError):
    """The book is password-protected and no (or a wrong) password was given."""


class MissingSheetError(BookError):
    """A required input sheet is missing."""


class WriteError(SheetbookError):
    """The book cannot be written safely."""


class LockedError(WriteError):
    """The book is open in a spreadsheet program (its lock file exists)."""


class ClashError(WriteError):
    """A user's own sheet carries the name of a result tab."""


class ExistsError(WriteError):
    """The target file exists and would be overwritten."""
