"""The CLI as a thin shell: every command has help and is documented; errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetbook.cli import main

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    return sorted(main.commands)


def test_every_command_has_one_line_help():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in commands():
        line = next((ln for ln in result.output.splitlines() if ln.strip().startswith(name + " ")), None)
        assert line is not None, f"{name} missing from --help"
        assert len(line.split(None, 1)) == 2, f"{name} has no help text"


@pytest.mark.parametrize("name", commands())
def test_command_help_and_readme(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"sheetbook {name}" in readme


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == "python3 -m pytest"
    assert "\npython3 -m pytest\n" in readme
    assert "./setup.sh && sheetbook demo" in readme


def test_missing_book_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2
    assert "nope.xlsx" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_as_of_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["reconcile", str(tmp_path / "x.xlsx"), "--as-of", "someday"])
    assert result.exit_code == 2


def _small_book(path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    c = wb.add_worksheet("客户")
    c.write_row(0, 0, ["客户编号", "客户名称", "账期天数"])
    c.write_row(1, 0, ["C001", "恒达装饰", 30])
    s = wb.add_worksheet("销售")
    s.write_row(0, 0, ["日期", "单号", "客户编号", "数量", "单价", "金额"])
    s.write_row(1, 0, ["2026-03-05", "XS001", "C001", 2, 50, None])
    s.write_row(2, 0, ["2026-03-06", "XS002", "C009", 1, 10, "12..5"])
    p = wb.add_worksheet("收款")
    p.write_row(0, 0, ["日期", "客户编号", "金额", "方式"])
    p.write_row(1, 0, ["2026/3/7", "C001", "¥60.00", "微信"])
    wb.close()
    return path


def test_validate_json_contract(tmp_path):
    book = _small_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["validate", str(book), "--json", "--no-write"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert {"book", "ok", "problems", "written"} <= set(data)
    assert data["ok"] is False and data["written"] == []
    cells = {(p["code"], p["severity"], p["sheet"], p["cell"]) for p in data["problems"]}
    assert ("cell.bad_money", "error", "销售", "F3") in cells
    for p in data["problems"]:
        assert {"code", "severity", "sheet", "cell", "row", "column", "value", "message"} <= set(p)
        assert p["severity"] in ("error", "warning")
    assert book.read_bytes() == before


def test_validate_english_messages(tmp_path):
    book = _small_book(tmp_path / "b.xlsx")
    result = CliRunner().invoke(main, ["validate", str(book), "--json", "--no-write", "--lang", "en"])
    data = json.loads(result.output)
    msg = next(p["message"] for p in data["problems"] if p["code"] == "cell.bad_money")
    assert "is not an amount" in msg
