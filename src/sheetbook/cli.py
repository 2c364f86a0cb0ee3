"""The command line: a thin shell over the library.

Each command parses its options, calls one library function, renders the result (a rich table,
or ``--json``), and sets the exit code: 0 = done, no errors; 1 = done, but the book has errors
(those rows were left out); 2 = could not run (one line on stderr saying why, no traceback).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path

import click

from .errors import SheetbookError

EXIT_OK, EXIT_ERRORS, EXIT_FAIL = 0, 1, 2


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


class Command(click.Group):
    """Turns every sheetbook error into one line and exit 2 (never a traceback)."""

    def invoke(self, ctx: click.Context):
        gc_was_enabled = gc.isenabled()  # a command may pause the collector (see _prefetch)
        try:
            return super().invoke(ctx)
        except SheetbookError as exc:
            lang = _ctx_lang(ctx)
            click.echo(exc.message(lang), err=True)
            sys.exit(EXIT_FAIL)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("已中断 / interrupted", err=True)
            sys.exit(EXIT_FAIL)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("SHEETBOOK_DEBUG"):
                raise
            lang = _ctx_lang(ctx)
            click.echo(_say(lang, f"sheetbook 内部错误：{type(exc).__name__}: {exc}（设置 SHEETBOOK_DEBUG=1 查看详情）",
                            f"sheetbook internal error: {type(exc).__name__}: {exc} (set SHEETBOOK_DEBUG=1 for details)"),
                       err=True)
            sys.exit(EXIT_FAIL)
        finally:
            if gc_was_enabled:  # as it was: main() may run inside a longer-lived process (tests)
                gc.enable()


def _ctx_lang(ctx: click.Context) -> str:
    argv = sys.argv
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv):
            return argv[i + 1]
    return "zh"


@click.group(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sheetbook")
def main() -> None:
    """sheetbook：个体户 Excel 账本的对账、校验和税务助手。

    Bookkeeping chores for a Chinese sole trader's Excel workbook.
    """


lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                           help="Message and tab language (default: Chinese messages, tabs in the book's language).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
password_option = click.option("--password", envvar="SHEETBOOK_PASSWORD", default=None,
                               help="Password of an encrypted book (or SHEETBOOK_PASSWORD).")
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                          help="Write a copy here instead of changing the book.")
dry_option = click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
nowrite_option = click.option("--no-write", is_flag=True, help="Do not write result tabs.")
book_arg = click.argument("book", type=click.Path(path_type=Path))


def job_options(fn):
    """The options every job command shares: output format, language, and how to write."""
    for option in reversed((json_option, nowrite_option, lang_option, password_option, out_option, dry_option)):
        fn = option(fn)
    return fn


def _opts(no_write: bool, out: Path | None, dry_run: bool, password: str | None):
    from .pipeline import WriteOptions

    return WriteOptions(write=not no_write, out=out, dry_run=dry_run, password=password)


def _prefetch(book: Path, password: str | None):
    """Start reading the book in the background while the library (pandas) is imported.

    Also turns off the cyclic garbage collector for this short-lived process: a run makes
    millions of objects that live until it ends (see :func:`sheetbook.pipeline.gc_paused`).
    """
    from .container import Prefetch

    gc.disable()  # turned back on when the command ends (Command.invoke)
    return Prefetch(book, password)


def _finish(result, lang: str | None, as_json: bool, render) -> None:
    from .render import print_problems, print_written

    msg_lang = lang or "zh"
    if as_json:
        data = dict(result.data)
        data["problems"] = [p.as_json(msg_lang) for p in result.problems]
        click.echo(json.dumps(data, ensure_ascii=False, default=str))
    else:
        print_problems(result.problems, msg_lang)
        if render:
            render(result, msg_lang)
        print_written(result, msg_lang)
    sys.exit(EXIT_OK if result.ok else EXIT_ERRORS)


@main.command()
@book_arg
@job_options
def validate(book, as_json, no_write, lang, password, out, dry_run):
    """检查账本每张表，按单元格列出问题 / Check every sheet and name each problem by its cell."""
    pre = _prefetch(book, password)
    from .pipeline import run, validate_job

    result = run(book, [validate_job], lang=lang, opts=_opts(no_write, out, dry_run, password), prefetch=pre)
    _finish(result, lang, as_json, None)


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from .dates import DateError, parse_date

    try:
        return parse_date(value)
    except DateError:
        raise click.BadParameter(f"不是有效日期 / not a date: {value}") from None


@main.command()
@book_arg
@click.option("--as-of", "as_of", default=None, help="Balance date (default: today, capped at the fiscal year end).")
@job_options
def reconcile(book, as_of, as_json, no_write, lang, password, out, dry_run):
    """核销收款，生成应收汇总、核销明细、账龄分析和待处理 / Reconcile payments against sales."""
    when = _as_of(as_of)
    pre = _prefetch(book, password)
    from .pipeline import reconcile_job, run
    from .render import print_reconcile

    result = run(book, [reconcile_job(when)], lang=lang, opts=_opts(no_write, out, dry_run, password),
                 prefetch=pre)
    _finish(result, lang, as_json, print_reconcile)


@main.command()
@book_arg
@click.option("--year", type=int, default=None, help="Tax year (default: the book's fiscal year).")
@job_options
def tax(book, year, as_json, no_write, lang, password, out, dry_run):
    """估算增值税、附加税费和经营所得个税，写入 税务 表 / Estimate VAT, surcharges and income tax."""
    pre = _prefetch(book, password)
    from .pipeline import run, tax_job
    from .render import print_tax

    result = run(book, [tax_job(year)], lang=lang, opts=_opts(no_write, out, dry_run, password), prefetch=pre)
    _finish(result, lang, as_json, print_tax)


@main.command(name="run")
@book_arg
@click.option("--as-of", "as_of", default=None, help="Balance date for reconcile.")
@job_options
def run_all(book, as_of, as_json, no_write, lang, password, out, dry_run):
    """运行全部任务（校验、对账、税务）/ Run every job: validate, reconcile, tax."""
    when = _as_of(as_of)
    pre = _prefetch(book, password)
    from .pipeline import reconcile_job, run, tax_job
    from .render import print_reconcile, print_tax

    result = run(book, [reconcile_job(when), tax_job(None)], lang=lang,
                 opts=_opts(no_write, out, dry_run, password), prefetch=pre)

    def render(res, msg_lang):
        print_reconcile(res, msg_lang)
        print_tax(res, msg_lang)

    _finish(result, lang, as_json, render)


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("workbook_template.xlsx"),
              show_default=True, help="Where to write the template.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Sheet and column names.")
def template(out, lang):
    """从工作簿约定生成空白模板 / Generate the blank template from the layout."""
    from .template import write_template

    write_template(out, lang)
    click.echo(_say(lang, f"已生成模板：{out}", f"Template written: {out}"))


@main.command()
@book_arg
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Sheet and column names.")
@click.option("--shop", default=None, help="Shop name for 设置.")
def init(book, lang, shop):
    """新建一个空白账本（不会覆盖已有文件）/ Make a new book from the template (never overwrites)."""
    from .template import init_book

    init_book(book, lang=lang, shop_name=shop)
    click.echo(_say(lang, f"已新建账本：{book}", f"New book: {book}"))


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"),
              show_default=True, help="Folder for the demo book.")
@click.option("--rows", type=click.IntRange(min=10), default=3000, show_default=True, help="Sales lines.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
@click.option("--no-run", is_flag=True, help="Only write the book; do not run the jobs.")
@lang_option
def demo(out_dir, rows, seed, no_run, lang):
    """生成示例账本（王记五金店）并运行全部任务 / Write a demo book and run every job on it."""
    from .demo import write_demo
    from .pipeline import WriteOptions, reconcile_job, run, tax_job
    from .render import print_reconcile, print_tax, print_written

    msg_lang = lang or "zh"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = write_demo(out_dir / "demo.xlsx", rows=rows, seed=seed)
    click.echo(_say(msg_lang, f"已生成示例账本：{path}（{rows} 行销售）", f"Demo book written: {path} ({rows} sales lines)"))
    if no_run:
        return
    result = run(path, [reconcile_job(None), tax_job(None)], lang=lang, opts=WriteOptions())
    from .validate import counts

    c = counts(result.problems)
    click.echo(_say(msg_lang, f"校验：错误 {c['error']} 个，警告 {c['warning']} 个",
                    f"Checks: {c['error']} error(s), {c['warning']} warning(s)"))
    print_reconcile(result, msg_lang)
    print_tax(result, msg_lang)
    print_written(result, msg_lang)


@main.command()
@book_arg
@click.option("--list", "list_only", is_flag=True, help="List the backups; restore nothing.")
@click.option("--backup", default=None, help="Which backup to restore (name from --list; default: the latest).")
@lang_option
def restore(book, list_only, backup, lang):
    """从备份恢复账本 / Bring back an earlier version of the book from its backups."""
    from .writer import list_backups
    from .writer import restore as do_restore

    msg_lang = lang or "zh"
    if list_only:
        backups = list_backups(book)
        if not backups:
            click.echo(_say(msg_lang, "没有备份", "No backups"))
        for b in backups:
            click.echo(f"{b.name}\t{b.size:,}\t{b.created:%Y-%m-%d %H:%M:%S}" if hasattr(b, "created") else str(b))
        return
    path = do_restore(book, backup)
    click.echo(_say(msg_lang, f"已恢复：{path}", f"Restored: {path}"))


if __name__ == "__main__":  # pragma: no cover
    main()
