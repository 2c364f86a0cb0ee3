"""The pipeline both front doors call: read → validate → run jobs → write result tabs.

Each ``run_*`` function is what one CLI command (or Excel button) does, minus the printing:
it returns a :class:`RunResult` holding the book, the problems, the tab specs it produced, the
writer's report and a JSON-ready summary. Writing goes through :mod:`sheetbook.writer`, so the
user's file is only ever changed surgically, atomically and with a backup.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import problems as P
from .container import Prefetch
from .layout import Lang
from .model import Book
from .reader import read_book
from .tabspec import TabSpec
from .validate import checks_tab, counts, validate


@dataclass(frozen=True)
class WriteOptions:
    """How (and whether) result tabs are written.

    Attributes:
        write: write the tabs at all (``--no-write`` sets False).
        out: write a copy here instead of changing the book.
        dry_run: report what would change, write nothing.
        password: the book's password (read and write back encrypted).
    """

    write: bool = True
    out: Path | None = None
    dry_run: bool = False
    password: str | None = None


@dataclass
class RunResult:
    """What a command did.

    Attributes:
        book: the book as read and validated.
        problems: every problem found.
        tabs: the result tabs produced.
        report: the writer's report (None when nothing was written).
        data: the job's JSON-ready summary.
    """

    book: Book
    problems: list[P.Problem]
    tabs: list[TabSpec] = field(default_factory=list)
    report: object | None = None
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not P.has_errors(self.problems)

    @property
    def written(self) -> list[str]:
        """Names of the tabs written (or that would be, on a dry run)."""
        if self.report is None:
            return []
        return list(getattr(self.report, "added", [])) + list(getattr(self.report, "replaced", []))


def load(path: str | Path, password: str | None = None, today: dt.date | None = None,
         prefetch: Prefetch | None = None) -> Book:
    """Read and validate a book (``prefetch``: see :func:`sheetbook.reader.read_book`)."""
    book = read_book(path, password=password, prefetch=prefetch)
    validate(book, today=today)
    return book


def tab_lang(book: Book, lang: Lang | None) -> Lang:
    """Result tabs follow ``--lang`` when given, else the book's own language."""
    return lang or book.lang


def write(book: Book, tabs: list[TabSpec], opts: WriteOptions):
    """Write result tabs into the book (or its copy) through the safe writer."""
    if not opts.write or not tabs:
        return None
    from .writer import write_tabs

    return write_tabs(book.path, tabs, out=opts.out, password=opts.password or _book_password(book),
                      dry_run=opts.dry_run)


def _book_password(book: Book) -> str | None:
    return getattr(book, "password", None)


JobFn = Callable[[Book, Lang, dt.datetime, dt.date], tuple[list[TabSpec], dict]]


def run(path: str | Path, jobs: list[JobFn], *, lang: Lang | None = None, opts: WriteOptions = WriteOptions(),
        today: dt.date | None = None, now: dt.datetime | None = None,
        prefetch: Prefetch | None = None) -> RunResult:
    """Read, validate, run each job, and write the 校验结果 tab plus every job's tabs.

    ``prefetch``: the book already being read in the background (see :class:`Prefetch`).
    """
    today = today or dt.date.today()
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    with gc_paused():
        book = load(path, opts.password, today, prefetch)
        tl = tab_lang(book, lang)
        tabs = [checks_tab(book.problems, book, tl, now)]
        data: dict = {"book": str(book.path), "ok": not P.has_errors(book.problems),
                      "counts": counts(book.problems)}
        for job in jobs:
            job_tabs, job_data = job(book, tl, now, today)
            tabs += job_tabs
            data.update(job_data)
        result = RunResult(book=book, problems=book.problems, tabs=tabs, data=data)
        result.report = write(book, tabs, opts)
    result.data["written"] = result.written
    return result


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a book is read, checked and written.

    A run makes millions of small objects (cells, rows, problems) that all live until the run
    ends; the collector would walk them again and again (about 12% of a 100k-row run) and find
    nothing to free. Reference counting still frees everything else at once; cycles made during
    the run are collected when it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_job(book: Book, lang: Lang, now: dt.datetime, today: dt.date) -> tuple[list[TabSpec], dict]:
    """The validate command adds nothing beyond the 校验结果 tab."""
    return [], {}


def reconcile_job(as_of: dt.date | None) -> JobFn:
    """The reconcile job, bound to an as-of date (default: today capped at the year end)."""

    def job(book: Book, lang: Lang, now: dt.datetime, today: dt.date) -> tuple[list[TabSpec], dict]:
        from .reconcile import reconcile_book, reconcile_json, reconcile_tabs

        when = as_of or book.as_of_default(today)
        result = reconcile_book(book, when)
        return reconcile_tabs(result, book, lang, now), {"as_of": when.isoformat(), "reconcile": reconcile_json(result)}

    return job


def tax_job(year: int | None) -> JobFn:
    """The tax job for a year (default: the book's fiscal year)."""

    def job(book: Book, lang: Lang, now: dt.datetime, today: dt.date) -> tuple[list[TabSpec], dict]:
        from .tax import tax_book, tax_json, tax_tabs

        result = tax_book(book, year)
        return tax_tabs(result, book, lang, now), {"tax": tax_json(result)}

    return job
