"""What a write did (or, in a dry run, would do)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    """The outcome of :func:`~sheetbook.writer.write_tabs` or :func:`~sheetbook.writer.append_rows`.

    Attributes:
        path: the file written (the book itself, or ``out``); in a dry run, the file that would be.
        added: result tabs added (sheet names, in order).
        replaced: result tabs rebuilt in place.
        backup: the backup of the previous version (None for ``out=``, a dry run, or no backups).
        dry_run: nothing was written.
        sheet: the input sheet rows were appended to (``append_rows``).
        appended: how many rows were appended.
        first_row: the sheet row of the first appended row.
        tables: Excel Tables whose range was extended.
        styles_added: whether cell formats were added to ``xl/styles.xml``.
        unchanged: there was nothing to write (no tabs, no rows); the file was not touched.
    """

    path: Path
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    backup: Path | None = None
    dry_run: bool = False
    sheet: str | None = None
    appended: int = 0
    first_row: int | None = None
    tables: list[str] = field(default_factory=list)
    styles_added: bool = False
    unchanged: bool = False

    def describe(self, lang: str = "zh") -> list[str]:
        """Lines saying what changed (or would change, in a dry run), in ``zh`` or ``en``."""
        zh = lang != "en"
        would = self.dry_run
        lines: list[str] = []
        for name in self.added:
            lines.append((f"将新增工作表「{name}」" if would else f"新增工作表「{name}」") if zh
                         else (f"Would add sheet '{name}'" if would else f"Added sheet '{name}'"))
        for name in self.replaced:
            lines.append((f"将重建工作表「{name}」" if would else f"重建工作表「{name}」") if zh
                         else (f"Would rebuild sheet '{name}'" if would else f"Rebuilt sheet '{name}'"))
        if self.sheet is not None:
            last = (self.first_row or 0) + self.appended - 1
            span = f"{self.first_row}–{last}" if self.appended > 1 else f"{self.first_row}"
            if zh:
                verb = "将在" if would else "已在"
                lines.append(f"{verb}「{self.sheet}」追加 {self.appended} 行（第 {span} 行）"
                             if self.appended else f"「{self.sheet}」没有要追加的行")
            else:
                verb = "Would append" if would else "Appended"
                lines.append(f"{verb} {self.appended} row(s) to '{self.sheet}' (rows {span})"
                             if self.appended else f"No rows to append to '{self.sheet}'")
            for t in self.tables:
                lines.append(f"扩展表格 {t} 的范围" if zh else f"Extended the range of table {t}")
        if self.styles_added:
            lines.append("添加单元格格式" if zh else "Added cell formats")
        if self.unchanged and not would:
            lines.append(f"无需更改，{self.path} 未被修改" if zh
                         else f"Nothing to change; {self.path} was left as it was")
        elif would:
            lines.append(f"（试运行：{self.path} 未被修改）" if zh
                         else f"(dry run: {self.path} was not changed)")
        else:
            lines.append(f"已写入 {self.path}" if zh else f"Wrote {self.path}")
            if self.backup is not None:
                lines.append(f"原文件已备份到 {self.backup}" if zh
                             else f"The previous version was backed up to {self.backup}")
        return lines
