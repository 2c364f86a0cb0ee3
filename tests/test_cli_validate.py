"""``sheetbook validate BOOK [--json] [--no-write] [--lang en] [--password]``: output and exit codes.

The JSON contract (one object on stdout: book, ok, problems, written; each problem with code,
severity, sheet, cell, row, column, value, message), English messages with ``--lang en``, and
the exit codes 0 (no error; warnings allowed) / 1 (errors) / 2 (cannot read). Most tests call
the command in-process (click's runner) to stay quick; a few run the real CLI in a child
process to check what a shell sees.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import corpus
from sheetbook import problems as P
from sheetbook.cli import main

PROBLEM_KEYS = {"code", "severity", "sheet", "cell", "row", "column", "value", "message"}


def copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copyfile(corpus.DATA / name, path)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: str, monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.delenv("SHEETBOOK_PASSWORD", raising=False)
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def as_json(result) -> dict:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


# ------------------------------------------------------------------------------ in-process


@pytest.mark.parametrize(("name", "code"), [
    ("good.xlsx", 0),
    ("amount_mismatch.xlsx", 0),  # warnings only
    ("messy_english.xlsx", 0),
    ("bad_money_typo.xlsx", 1),
    ("header_not_found.xlsx", 1),
    ("csv_gbk.xlsx", 2),
    ("missing_sheet_payments.xlsx", 2),
])
def test_exit_codes(tmp_path, monkeypatch, name, code):
    path = copy(tmp_path, name)
    before = sha(path)
    result = invoke(str(path), "--no-write", "--json", monkeypatch=monkeypatch)
    assert result.exit_code == code, result.output
    assert sha(path) == before
    if code != 2:
        assert as_json(result)["ok"] is (code == 0)


def test_json_contract(tmp_path, monkeypatch):
    path = copy(tmp_path, "messy_english_errors.xlsx")
    data = as_json(invoke(str(path), "--no-write", "--json", monkeypatch=monkeypatch))
    assert {"book", "ok", "problems", "written"} <= set(data)
    assert data["book"].endswith("messy_english_errors.xlsx")
    assert data["ok"] is False and data["written"] == []
    assert data["problems"], data
    for p in data["problems"]:
        assert PROBLEM_KEYS <= set(p)
        assert p["severity"] in ("error", "warning")
        assert p["code"] in P.CATALOG
        assert isinstance(p["row"], int) and isinstance(p["value"], str)
    got = sorted((p["code"], p["severity"], f"{p['sheet']}!{p['cell']}") for p in data["problems"])
    assert got == sorted(corpus.by_name("messy_english_errors.xlsx").expect)
    bad = next(p for p in data["problems"] if p["code"] == "cell.bad_money")
    assert (bad["sheet"], bad["cell"], bad["row"], bad["column"], bad["value"]) == (
        "Sales", "H3", 3, "Amount", "twenty")


def test_json_counts_agree_with_problems(tmp_path, monkeypatch):
    path = copy(tmp_path, "formula_no_value_bare.xlsx")
    data = as_json(invoke(str(path), "--no-write", "--json", monkeypatch=monkeypatch))
    severities = [p["severity"] for p in data["problems"]]
    if "counts" in data:
        assert data["counts"] == {"error": severities.count("error"), "warning": severities.count("warning")}
    assert data["ok"] is ("error" not in severities)


def test_json_is_clean_when_there_is_no_problem(tmp_path, monkeypatch):
    data = as_json(invoke(str(copy(tmp_path, "good.xlsx")), "--no-write", "--json", monkeypatch=monkeypatch))
    assert data["ok"] is True and data["problems"] == [] and data["written"] == []


def test_lang_en_gives_english_messages(tmp_path, monkeypatch):
    path = copy(tmp_path, "bad_money_typo.xlsx")
    zh = as_json(invoke(str(path), "--no-write", "--json", monkeypatch=monkeypatch))["problems"][0]
    en = as_json(invoke(str(path), "--no-write", "--json", "--lang", "en", monkeypatch=monkeypatch))["problems"][0]
    assert zh["message"] == "金额 不是金额：12..5"
    assert en["message"] == "金额 is not an amount: 12..5"
    assert en["sheet"] == zh["sheet"] == "销售"  # sheet and column names stay as in the book
    assert (en["code"], en["cell"]) == (zh["code"], zh["cell"]) == ("cell.bad_money", "H2")


def test_every_english_message_is_english(tmp_path, monkeypatch):
    for name in ("invoice_conflict_date.xlsx", "suspected_duplicate.xlsx", "settings_bad_choice.xlsx",
                 "header_missing_column.xlsx"):
        data = as_json(invoke(str(copy(tmp_path, name)), "--no-write", "--json", "--lang", "en",
                              monkeypatch=monkeypatch))
        for p in data["problems"]:
            english = P.CATALOG[p["code"]][2].split("{")[0]
            assert p["message"].startswith(english), p


def test_chinese_file_name_with_spaces(tmp_path, monkeypatch):
    path = tmp_path / "王记五金 2026 账本（最终版）.xlsx"
    shutil.copyfile(corpus.DATA / "amount_mismatch.xlsx", path)
    result = invoke(str(path), "--no-write", "--json", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert as_json(result)["book"].endswith("王记五金 2026 账本（最终版）.xlsx")


def test_text_output_names_the_cell(tmp_path, monkeypatch):
    result = invoke(str(copy(tmp_path, "bad_money_typo.xlsx")), "--no-write", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "H2" in result.stdout and "12..5" in result.stdout


def test_password_option_and_environment(tmp_path, monkeypatch):
    path = copy(tmp_path, "encrypted.xlsx")
    before = sha(path)
    assert invoke(str(path), "--no-write", "--json", monkeypatch=monkeypatch).exit_code == 2
    result = invoke(str(path), "--no-write", "--json", "--password", corpus.PASSWORD, monkeypatch=monkeypatch)
    assert result.exit_code == 0 and as_json(result)["ok"] is True
    monkeypatch.setenv("SHEETBOOK_PASSWORD", corpus.PASSWORD)
    result = CliRunner().invoke(main, ["validate", str(path), "--no-write", "--json"])
    assert result.exit_code == 0
    assert sha(path) == before


def test_without_no_write_the_checks_tab_is_added_and_input_is_untouched(tmp_path, monkeypatch):
    path = copy(tmp_path, "bad_money_typo.xlsx")
    first = as_json(invoke(str(path), "--json", monkeypatch=monkeypatch))
    assert any(name in ("校验结果", "Checks") for name in first["written"]), first["written"]
    book, problems = corpus.validated("bad_money_typo.xlsx")
    from sheetbook.reader import read_book
    from sheetbook.validate import validate

    again = read_book(path)
    assert validate(again, today=corpus.TODAY) == list(problems)
    for key in ("customers", "sales", "payments"):
        assert again.tables[key].drop(columns=["_ok"]).equals(book.tables[key].drop(columns=["_ok"]))


# ------------------------------------------------------------------------------ the real CLI


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    jobs = {
        "good": ("good.xlsx", ("--json",)),
        "warnings": ("amount_mismatch.xlsx", ()),
        "errors-en": ("messy_english_errors.xlsx", ("--json", "--lang", "en")),
    }
    paths = {}
    for key, (name, _) in jobs.items():
        (root / key).mkdir()
        paths[key] = root / key / name
        shutil.copyfile(corpus.DATA / name, paths[key])
    before = {k: sha(p) for k, p in paths.items()}

    def run(key):
        name, args = jobs[key]
        return key, corpus.run_cli("validate", str(paths[key]), "--no-write", *args)

    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = dict(pool.map(run, jobs))
    return runs, {k: before[k] == sha(p) for k, p in paths.items()}


def test_real_cli_exit_codes_and_streams(real_runs):
    runs, unchanged = real_runs
    assert all(unchanged.values())
    assert runs["good"].code == 0 and runs["warnings"].code == 0 and runs["errors-en"].code == 1
    for run in runs.values():
        assert "Traceback" not in run.stderr and run.peak_bytes < corpus.PEAK_LIMIT
    data = json.loads(runs["good"].stdout)
    assert data["ok"] is True and data["problems"] == []
    data = json.loads(runs["errors-en"].stdout)
    messages = {p["code"]: p["message"] for p in data["problems"]}
    assert messages["cell.bad_money"] == "Amount is not an amount: twenty"
    assert messages["ref.unknown_customer"] == "Customer ID C777 is not in the Customers sheet"
    assert "H2" in runs["warnings"].stdout
