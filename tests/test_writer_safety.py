"""Safe writing: lock files, clashes, dry runs, copies, backups and restore, a writer killed
mid-write, a book saved meanwhile, password-protected books, files that are not books."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from sheetbook.errors import (
    ClashError,
    EncryptedError,
    LockedError,
    NotAWorkbookError,
    NotFoundError,
    WriteError,
)
from sheetbook.writer import append_rows, list_backups, restore, result_sheets, write_tabs
from sheetbook.writer import book as book_module
from test_writer_books import file_state, make_macro_book, parts, spec


@pytest.fixture
def shop(tmp_path):
    return make_macro_book(tmp_path / "shop.xlsm")


# ------------------------------------------------------------------------------ locks


@pytest.mark.parametrize("lock", ["~$shop.xlsm", "~$op.xlsm", ".~lock.shop.xlsm#"])
def test_lock_file_refuses_before_writing(shop, lock):
    (shop.parent / lock).write_bytes(b"")
    before = file_state(shop)
    with pytest.raises(LockedError) as err:
        write_tabs(shop, [spec()])
    assert "请先关闭" in str(err.value) and "close it" in err.value.message("en")
    assert file_state(shop) == before
    assert not (shop.parent / ".sheetbook").exists()
    with pytest.raises(LockedError):
        append_rows(shop, "销售", [["x"]])
    assert file_state(shop) == before


def test_lock_on_the_out_file_refuses_too(shop, tmp_path):
    out = tmp_path / "copy.xlsm"
    (tmp_path / ".~lock.copy.xlsm#").write_bytes(b"")
    with pytest.raises(LockedError):
        write_tabs(shop, [spec()], out=out)
    assert not out.exists()


# ------------------------------------------------------------------------------ clashes


def test_user_sheet_with_a_result_name_is_a_clash(tmp_path):
    book = make_macro_book(tmp_path / "b.xlsm", user_sheet="应收汇总")
    before = file_state(book)
    with pytest.raises(ClashError) as err:
        write_tabs(book, [spec("账龄分析", key="aging"), spec()])
    assert "「应收汇总」不是 sheetbook 生成的" in str(err.value) and "应收汇总-我的" in str(err.value)
    assert "rename it" in err.value.message("en")
    assert file_state(book) == before
    assert not (tmp_path / ".sheetbook").exists()


def test_clash_ignores_case_like_excel(tmp_path):
    book = make_macro_book(tmp_path / "b.xlsm", user_sheet="summary")
    with pytest.raises(ClashError):
        write_tabs(book, [spec("Summary", key="summary")])


def test_banner_saved_as_shared_string_is_recognised_and_its_parts_replaced(tmp_path):
    book = make_macro_book(tmp_path / "b.xlsm", result_banner_sheet="应收汇总")
    original = parts(book)
    report = write_tabs(book, [spec()])
    assert report.replaced == ["应收汇总"] and report.added == []
    after = parts(book)
    assert "xl/media/image2.png" in original and "xl/media/image2.png" not in after
    assert "xl/worksheets/_rels/sheet5.xml.rels" not in after
    assert after["xl/sharedStrings.xml"] == original["xl/sharedStrings.xml"]
    wb = openpyxl.load_workbook(book, read_only=True)
    assert wb.sheetnames[-1] == "应收汇总" and len(wb.sheetnames) == 5
    wb.close()


# ------------------------------------------------------------------------------ dry run, out=


def test_dry_run_writes_nothing_and_says_what_would_change(shop):
    before = file_state(shop)
    report = write_tabs(shop, [spec()], dry_run=True)
    assert file_state(shop) == before and not (shop.parent / ".sheetbook").exists()
    assert report.dry_run and report.added == ["应收汇总"] and report.backup is None
    assert report.describe("zh")[0] == "将新增工作表「应收汇总」"
    assert report.describe("en")[0] == "Would add sheet '应收汇总'"
    write_tabs(shop, [spec()])
    again = write_tabs(shop, [spec()], dry_run=True)
    assert again.replaced == ["应收汇总"] and "Would rebuild sheet '应收汇总'" in again.describe("en")
    report = append_rows(shop, "销售", [["a"], ["b"]], dry_run=True)
    assert report.describe("zh")[0] == "将在「销售」追加 2 行（第 32–33 行）"


def test_out_writes_a_copy_and_leaves_the_book_alone(shop, tmp_path):
    before = file_state(shop)
    out = tmp_path / "sub" / "copy.xlsm"
    out.parent.mkdir()
    report = write_tabs(shop, [spec()], out=out)
    assert file_state(shop) == before
    assert report.path == out and report.backup is None
    assert not (tmp_path / ".sheetbook").exists()
    assert "应收汇总" in openpyxl.load_workbook(out, read_only=True).sheetnames


# ------------------------------------------------------------------------------ backups


def test_backups_are_bounded_and_restore_puts_a_version_back(shop):
    original = shop.read_bytes()
    reports = [write_tabs(shop, [spec(n=3 + i)], keep_backups=3) for i in range(5)]
    backups = list_backups(shop)
    assert len(backups) == 3
    assert [b.path for b in backups] == [r.backup for r in reports[::-1][:3]]
    assert all(b.path.parent == shop.parent / ".sheetbook" / "backups" for b in backups)
    assert backups[0].taken_at > backups[1].taken_at
    latest_before = shop.read_bytes()
    restored = restore(shop)
    assert restored == backups[0].path
    assert shop.read_bytes() == restored.read_bytes() != latest_before
    assert list_backups(shop)[0].path.read_bytes() == latest_before  # restore is undoable
    restore(shop, backups[2].path.name)
    assert shop.read_bytes() == backups[2].path.read_bytes()
    with pytest.raises(NotFoundError):
        restore(shop, "20000101-000000-000000")
    assert original != shop.read_bytes()


def test_keep_zero_backups(shop):
    report = write_tabs(shop, [spec()], keep_backups=0)
    assert report.backup is None and list_backups(shop) == []


def test_write_keeps_the_file_mode(shop):
    os.chmod(shop, 0o640)
    write_tabs(shop, [spec()])
    assert os.stat(shop).st_mode & 0o777 == 0o640


def test_book_saved_meanwhile_is_not_overwritten(shop, monkeypatch):
    real = book_module.write_package

    def save_meanwhile(src, edit, out):
        real(src, edit, out)
        with open(shop, "ab") as fh:  # the user pressed Save in the meantime
            fh.write(b"\0")

    monkeypatch.setattr(book_module, "write_package", save_meanwhile)
    with pytest.raises(WriteError, match="写入期间被修改"):
        write_tabs(shop, [spec()])
    assert shop.read_bytes().endswith(b"\0")
    assert not list(shop.parent.glob("*.sheetbook-tmp")) and list_backups(shop) == []


def test_error_while_rendering_leaves_book_and_no_temp_file(shop):
    before = file_state(shop)
    bad = spec()
    bad.rows[0][1] = 12.34  # money must be int 分
    with pytest.raises(TypeError):
        write_tabs(shop, [bad])
    assert file_state(shop) == before
    assert not list(shop.parent.glob("*.sheetbook-tmp"))


_KILL_SCRIPT = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from sheetbook.tabspec import TabColumn, TabSpec, banner_text
    from sheetbook.writer import write_tabs
    cols = tuple(TabColumn(f"c{i}", f"列{i}", "money" if i % 2 else "text") for i in range(8))
    rows = [[f"r{r}" if i % 2 == 0 else r * 7 for i in range(8)] for r in range(150_000)]
    write_tabs(Path(sys.argv[1]), [TabSpec("summary", "汇总", banner_text("zh"), cols, rows)])
""")


@pytest.mark.parametrize("min_tmp_bytes", [0, 200_000])
def test_killed_mid_write_leaves_the_book_intact(shop, tmp_path, min_tmp_bytes):
    before = shop.read_bytes()
    script = tmp_path / "killme.py"
    script.write_text(_KILL_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(shop)])
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            tmps = list(shop.parent.glob(".shop.xlsm.*.sheetbook-tmp"))
            try:
                if tmps and tmps[0].stat().st_size >= min_tmp_bytes:
                    break
            except FileNotFoundError:  # replaced meanwhile: the poll below reports it
                pass
            assert proc.poll() is None, "the writer finished before it could be killed"
            time.sleep(0.005)
        else:
            pytest.fail("the writer never started writing")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert shop.read_bytes() == before
    assert openpyxl.load_workbook(shop, read_only=True).sheetnames[-1] == "我的笔记"
    assert list_backups(shop) == []
    (leftover,) = shop.parent.glob(".shop.xlsm.*.sheetbook-tmp")
    write_tabs(shop, [spec()])  # a leftover temp file does not get in the way of the next run
    assert leftover.exists()  # too young: it could belong to a run still writing
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    write_tabs(shop, [spec()])
    assert not leftover.exists()


# ------------------------------------------------------------------------------ passwords

PASSWORD = "秘密-2026"


def _encrypt(path: Path, password: str) -> Path:
    out = path.with_name("locked" + path.suffix)
    with open(path, "rb") as fh, open(out, "wb") as dst:
        OOXMLFile(fh).encrypt(password, dst)
    return out


def _decrypt(path: Path, password: str) -> io.BytesIO:
    buf = io.BytesIO()
    with open(path, "rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        office.load_key(password=password, verify_password=True)
        office.decrypt(buf)
    buf.seek(0)
    return buf


@pytest.fixture(scope="module")
def locked_shop(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("locked")
    shop = make_macro_book(tmp / "shop.xlsm")
    return shop, _encrypt(shop, PASSWORD)


def test_password_book_is_written_back_encrypted_with_the_same_password(locked_shop, tmp_path):
    plain, source = locked_shop
    locked = tmp_path / "locked.xlsm"
    locked.write_bytes(source.read_bytes())
    report = write_tabs(locked, [spec()], password=PASSWORD)
    assert report.backup is not None and report.backup.read_bytes() == source.read_bytes()
    assert locked.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # still an encrypted OLE file
    decrypted = _decrypt(locked, PASSWORD)
    with zipfile.ZipFile(decrypted) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert "xl/worksheets/sheet5.xml" in after
    for name, data in parts(plain).items():
        if name not in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                        "xl/styles.xml"):
            assert after[name] == data, name
    decrypted.seek(0)
    assert openpyxl.load_workbook(decrypted)["应收汇总"]["B3"].value == 1234.56


@pytest.mark.parametrize("password", [None, "", "wrong"])
def test_missing_or_wrong_password(locked_shop, password):
    locked = locked_shop[1]
    before = file_state(locked)
    with pytest.raises(EncryptedError) as err:
        append_rows(locked, "销售", [["x"]], password=password)
    assert ("密码" in str(err.value)) and file_state(locked) == before


# ------------------------------------------------------------------------------ not a book


def _truncated(tmp: Path) -> Path:
    data = make_macro_book(tmp / "whole.xlsm").read_bytes()
    out = tmp / "cut.xlsx"
    out.write_bytes(data[: len(data) // 2])
    return out


def _docx(tmp: Path) -> Path:
    out = tmp / "letter.xlsx"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out


def _strict(tmp: Path) -> Path:
    out = tmp / "strict.xlsx"
    rel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main">'
                   "<sheets/></workbook>")
    return out


@pytest.mark.parametrize("make", [
    lambda t: (t / "empty.xlsx", b""),
    lambda t: (t / "sales.xlsx", "日期,金额\n2026-01-01,12\n".encode()),
    lambda t: (t / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000),
    lambda t: (_truncated(t), None),
    lambda t: (_docx(t), None),
], ids=["empty", "csv", "legacy-xls", "truncated", "docx-like"])
def test_not_a_workbook_is_one_clean_error(tmp_path, make):
    path, data = make(tmp_path)
    if data is not None:
        path.write_bytes(data)
    before = path.read_bytes()
    with pytest.raises(NotAWorkbookError) as err:
        write_tabs(path, [spec()])
    assert "\n" not in str(err.value)
    with pytest.raises(NotAWorkbookError):
        append_rows(path, "销售", [["x"]])
    with pytest.raises(NotAWorkbookError):
        result_sheets(path)
    assert path.read_bytes() == before


def test_strict_open_xml_is_refused_by_name(tmp_path):
    book = _strict(tmp_path)
    with pytest.raises(NotAWorkbookError, match="Strict Open XML"):
        write_tabs(book, [spec()])


def test_missing_book_and_no_specs(tmp_path, shop):
    with pytest.raises(NotFoundError):
        write_tabs(tmp_path / "nope.xlsx", [spec()])
    before = file_state(shop)
    report = write_tabs(shop, [])
    assert report.unchanged and report.describe("en") == [f"Nothing to change; {shop} was left as it was"]
    assert file_state(shop) == before and list_backups(shop) == []


def test_invalid_sheet_names_are_refused(shop):
    for name in ("a/b", "x" * 32, "History", "", "a\x01b", "'quoted'"):
        with pytest.raises(WriteError):
            write_tabs(shop, [spec(name)])
    with pytest.raises(WriteError):
        write_tabs(shop, [spec(), spec("应收汇总")])
