"""Files that are not readable books: the real CLI exits 2 with one line, fast, and touches nothing.

Every ``file`` case of the corpus (empty, random bytes, truncated, CSV renamed in UTF-8 and GBK,
HTML, legacy .xls, .ods/.docx/.xlsb renamed, encrypted, a required sheet missing, zip bombs,
entity expansion, broken XML), plus a few made at test time (a missing path, a folder, a zip of
10,001 parts), is run through ``python -m sheetbook validate FILE --no-write`` in a child process
whose peak memory is measured. Each run must: exit 2, write exactly one line on stderr with no
traceback, say what is wrong, take under 60 s and 2 GiB, and leave the file (and its folder)
byte-for-byte as it was. The runs go in parallel (a session fixture) to keep the suite quick.

The library raises the matching :class:`~sheetbook.errors.BookError` subclass for each.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import corpus
from sheetbook import errors
from sheetbook.reader import read_book

FILES = [c for c in corpus.CASES if c.kind == "file"]

#: the library exception for each non-book file
RAISES = {
    "empty.xlsx": errors.NotAWorkbookError,
    "random_bytes.xlsx": errors.NotAWorkbookError,
    "truncated.xlsx": errors.NotAWorkbookError,
    "csv_utf8.xlsx": errors.NotAWorkbookError,
    "csv_gbk.xlsx": errors.NotAWorkbookError,
    "html_table.xlsx": errors.NotAWorkbookError,
    "legacy.xls": errors.NotAWorkbookError,
    "ole_magic_only.xls": errors.NotAWorkbookError,
    "ods_renamed.xlsx": errors.NotAWorkbookError,
    "docx_renamed.xlsx": errors.NotAWorkbookError,
    "xlsb_renamed.xlsx": errors.NotAWorkbookError,
    "encrypted.xlsx": errors.EncryptedError,
    "missing_sheet_payments.xlsx": errors.MissingSheetError,
    "missing_sheet_customers.xlsx": errors.MissingSheetError,
    "bomb_declared.xlsx": errors.UnsafeBookError,
    "bomb_total.xlsx": errors.UnsafeBookError,
    "bomb_lying.xlsx": errors.BookError,  # refused as a bomb or as damaged: either is fine
    "entity_expansion.xlsx": errors.UnsafeBookError,
    "entity_expansion_late.xlsx": errors.BookError,
    "broken_workbook_xml.xlsx": errors.NotAWorkbookError,
}


@dataclass(frozen=True)
class Job:
    """One CLI run over a file copied into its own folder."""

    key: str
    file: str  # corpus name, or a test-time name
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    expect_exit: int = 2
    words: tuple[str, ...] = ()
    timeout: float = 60


@dataclass(frozen=True)
class Outcome:
    job: Job
    run: corpus.CliRun
    path: Path
    before: dict[str, str]
    after: dict[str, str]


def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


#: files run with --lang en (the others in Chinese); both messages of every file are also
#: checked at the library level below
ENGLISH = {"csv_gbk.xlsx": ("csv",), "legacy.xls": ("save it as .xlsx",), "bomb_declared.xlsx": ("zip bomb",),
           "missing_sheet_payments.xlsx": ("payments",), "ods_renamed.xlsx": ("opendocument",)}


def _jobs() -> list[Job]:
    jobs = [Job(f"en:{c.name}", c.name, ("--lang", "en"), words=ENGLISH[c.name]) if c.name in ENGLISH
            else Job(c.name, c.name, words=c.stderr) for c in FILES]
    jobs += [
        Job("encrypted:wrong", "encrypted.xlsx", ("--password", "not-it"), words=("密码不正确",)),
        Job("encrypted:right", "encrypted.xlsx", ("--password", corpus.PASSWORD), expect_exit=0),
        Job("encrypted:right-env", "encrypted.xlsx", (), (("SHEETBOOK_PASSWORD", corpus.PASSWORD),),
            expect_exit=0),
        Job("missing-path", "<missing>", words=("不存在",)),
        Job("folder", "<folder>", words=("文件夹",)),
        Job("many-entries", "many_entries.xlsx", words=("10000", "上限")),
        # The reader materialises every empty row up to row 1,048,577 (≈13 s and ≈800 MB on an
        # idle machine): a hang guard of 180 s here, the 60 s budget is for the other files.
        Job("too-many-rows", "too_many_rows.xlsx", ("--json",), expect_exit=1, timeout=180),
    ]
    return jobs


def _prepare(job: Job, root: Path) -> Path:
    folder = root / job.key.replace(":", "_")
    folder.mkdir()
    if job.file == "<missing>":
        return folder / "no_such_book.xlsx"
    if job.file == "<folder>":
        (folder / "book.xlsx").mkdir()
        return folder / "book.xlsx"
    path = folder / job.file
    if job.file == "many_entries.xlsx":
        path.write_bytes(corpus.many_entries_zip())
    else:
        shutil.copyfile(corpus.DATA / job.file, path)
    return path


def _run(job: Job, path: Path) -> Outcome:
    before = _snapshot(path.parent)
    env = corpus.cli_env(**dict(job.env))
    run = corpus.run_cli("validate", str(path), "--no-write", *job.args, env=env, timeout=job.timeout)
    return Outcome(job, run, path, before, _snapshot(path.parent))


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every job run once, two or three at a time (the slow ones first)."""
    root = tmp_path_factory.mktemp("badfiles")
    jobs = sorted(_jobs(), key=lambda j: j.key != "too-many-rows")
    paths = [_prepare(j, root) for j in jobs]
    with ThreadPoolExecutor(max_workers=min(3, (os.cpu_count() or 2) + 1)) as pool:
        results = list(pool.map(_run, jobs, paths))
    return {o.job.key: o for o in results}


JOB_KEYS = [j.key for j in _jobs()]


@pytest.mark.parametrize("key", JOB_KEYS)
def test_cli_run_is_bounded_and_leaves_the_file_alone(outcomes, key):
    o = outcomes[key]
    assert o.run.code == o.job.expect_exit, o.run
    assert "Traceback" not in o.run.stderr and "Traceback" not in o.run.stdout
    assert o.run.seconds < o.job.timeout
    assert o.run.peak_bytes < corpus.PEAK_LIMIT, f"peak RSS {o.run.peak_bytes >> 20} MiB"
    assert o.after == o.before, "the file or its folder changed"


@pytest.mark.parametrize("key", [k for k in JOB_KEYS if k != "too-many-rows"
                                 and not k.startswith("encrypted:right")])
def test_exit_2_says_why_in_one_line(outcomes, key):
    o = outcomes[key]
    assert o.run.code == 2
    assert o.run.stdout == ""
    lines = o.run.stderr_lines
    assert len(lines) == 1, o.run.stderr
    line = lines[0].lower()
    assert any(w.lower() in line for w in o.job.words), line
    if key.startswith("en:"):
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in line.split(":", 1)[1]), line
    if o.job.file not in ("<missing>", "<folder>"):
        assert o.path.name in lines[0]


def test_zip_bombs_are_refused_quickly(outcomes):
    for key in ("en:bomb_declared.xlsx", "bomb_total.xlsx", "bomb_lying.xlsx", "many-entries",
                "entity_expansion.xlsx", "entity_expansion_late.xlsx"):
        run = outcomes[key].run
        assert run.code == 2 and run.seconds < 20 and run.peak_bytes < 512 << 20, (key, run)


def test_right_password_reads_the_book(outcomes):
    for key in ("encrypted:right", "encrypted:right-env"):
        run = outcomes[key].run
        assert run.code == 0 and run.stderr_lines == [], run


def test_missing_password_and_wrong_password_say_different_things(outcomes):
    none = outcomes["encrypted.xlsx"].run.stderr
    wrong = outcomes["encrypted:wrong"].run.stderr
    assert "SHEETBOOK_PASSWORD" in none and "--password" in none
    assert none != wrong


def test_missing_sheet_is_named(outcomes):
    assert "客户" in outcomes["missing_sheet_customers.xlsx"].run.stderr
    assert "Payments" in outcomes["en:missing_sheet_payments.xlsx"].run.stderr


def test_legacy_xls_says_save_as_xlsx(outcomes):
    line = outcomes["ole_magic_only.xls"].run.stderr
    assert ".xls" in line and "另存为" in line and ".xlsx" in line
    line = outcomes["en:legacy.xls"].run.stderr
    assert "Excel 97-2003" in line and "save it as .xlsx" in line


def test_too_many_rows_is_a_problem_not_a_crash(outcomes):
    run = outcomes["too-many-rows"].run
    data = json.loads(run.stdout)
    codes = [(p["code"], p["severity"], p["sheet"]) for p in data["problems"]]
    assert ("sheet.too_many_rows", "error", "销售") in codes
    assert data["ok"] is False


# ------------------------------------------------------------------------------ library level


@pytest.mark.parametrize("case", FILES, ids=[c.name for c in FILES])
def test_library_raises_a_book_error(case):
    with pytest.raises(RAISES[case.name]) as info:
        read_book(corpus.DATA / case.name)
    err = info.value
    assert isinstance(err, errors.BookError)
    for lang in ("zh", "en"):
        msg = err.message(lang)
        assert msg and "\n" not in msg and msg.startswith(case.name)


def test_library_missing_path_and_folder(tmp_path):
    with pytest.raises(errors.NotFoundError):
        read_book(tmp_path / "nope.xlsx")
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(errors.NotAWorkbookError):
        read_book(tmp_path / "dir.xlsx")


def test_library_encrypted_book(monkeypatch):
    monkeypatch.delenv("SHEETBOOK_PASSWORD", raising=False)
    path = corpus.DATA / "encrypted.xlsx"
    with pytest.raises(errors.EncryptedError):
        read_book(path, password="wrong")
    book = read_book(path, password=corpus.PASSWORD)
    assert book.password == corpus.PASSWORD
    assert len(book.tables["sales"]) == 4
    monkeypatch.setenv("SHEETBOOK_PASSWORD", corpus.PASSWORD)
    assert len(read_book(path).tables["payments"]) == 2


def test_library_many_entries(tmp_path):
    path = tmp_path / "many.xlsx"
    path.write_bytes(corpus.many_entries_zip())
    with pytest.raises(errors.UnsafeBookError):
        read_book(path)


def test_corpus_bombs_are_small_on_disk():
    for name in ("bomb_declared.xlsx", "bomb_total.xlsx", "bomb_lying.xlsx", "entity_expansion.xlsx"):
        assert (corpus.DATA / name).stat().st_size < 64 << 10
