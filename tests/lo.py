"""LibreOffice headless as a test oracle: open a book, recalculate, export every sheet to CSV.

Used by tests marked ``libreoffice``. Each call uses its own profile directory (so parallel
runs do not collide) with ``OOXMLRecalcMode`` = 0, which makes LibreOffice recompute formulas
on load instead of trusting cached values.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_csv(book: Path, timeout: int = 240) -> dict[str, list[list[str]]]:
    """Open ``book`` in LibreOffice, recalculate, and return every sheet as CSV rows.

    Sheets are returned in book order keyed by sheet name (read from the book with openpyxl's
    read-only mode only to learn the names and their order).
    """
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="sb-lo-") as tmp:
        tmpdir = Path(tmp)
        profile = tmpdir / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
        src = tmpdir / ("in" + book.suffix)
        shutil.copyfile(book, src)
        out = tmpdir / "out"
        out.mkdir()
        # Token 12 = -1 exports every sheet to <name>-<SheetName>.csv (LibreOffice >= 7.2).
        fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        env = dict(os.environ, HOME=str(tmpdir))
        subprocess.run(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(out), str(src)],
            check=True, capture_output=True, timeout=timeout, env=env,
        )
        result: dict[str, list[list[str]]] = {}
        for name in _sheet_names(book):
            path = out / f"in-{name}.csv"
            if not path.exists():
                continue
            with path.open(encoding="utf-8", newline="") as fh:
                result[name] = list(csv.reader(fh))
        return result


def _sheet_names(book: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()
