"""Benchmark books: the seeded demo book, with about as many payments as sales lines.

:func:`sheetbook.demo.generate` models a shop whose customers pay per invoice, per month or in
installments, so ``generate(rows=100_000)`` gives only about 22,000 payments (22% of the sales
lines). A busy shop that takes WeChat/Alipay payments sees about one payment per sales line,
and the benchmark targets are stated for 100k sales + ~100k payments. So the benchmark book is
the demo book with every payment split into parts on the same day (unequal amounts that add
up to the original, the 流水号 suffixed to stay unique, every other field kept) until the
payment count matches the sales count. Totals per customer and per day are unchanged, so the
reconcile job sees the same balances; it just has ~4.5× more payments to allocate.

Books are cached under ``benchmarks/books/`` (git-ignored) by size and seed.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from sheetbook.demo import SHOP, generate
from sheetbook.template import build_book

BOOKS = Path(__file__).resolve().parent / "books"
SEED = 7
YEAR = 2026
#: bump when the way books are made changes, so stale cached books are not reused
VERSION = 1


def split_payments(payments: list[dict], target: int, seed: int) -> list[dict]:
    """Split payments into parts on the same day until there are about ``target`` of them."""
    n = len(payments)
    if n == 0 or target <= n:
        return payments
    rng = random.Random(seed * 7919 + 17)
    base, frac = divmod(target / n, 1)
    out: list[dict] = []
    for p in payments:
        k = int(base) + (1 if rng.random() < frac else 0)
        amount = p["amount"]
        if not isinstance(amount, int) or k <= 1:
            out.append(p)
            continue
        sign, whole = (1 if amount > 0 else -1), abs(amount)
        k = min(k, whole // 100) or 1  # at least 1 元 a part
        if k == 1:
            out.append(p)
            continue
        weights = [rng.uniform(0.5, 1.5) for _ in range(k)]
        total_w = sum(weights)
        parts = [max(1, int(whole * w / total_w)) for w in weights[:-1]]
        parts.append(whole - sum(parts))
        if parts[-1] <= 0:  # cannot happen with k ≤ whole//100, kept as a guard
            out.append(p)
            continue
        for j, part in enumerate(parts):
            q = dict(p)
            q["amount"] = sign * part
            if p.get("txn_id") and j:
                q["txn_id"] = f"{p['txn_id']}-{j}"
            out.append(q)
    return out


def book_data(rows: int, seed: int = SEED, payments: int | None = None) -> dict:
    """The demo data of ``rows`` sales lines with about ``payments`` payments (default: rows)."""
    data = generate(rows, seed, YEAR)
    data["payments"] = split_payments(data["payments"], rows if payments is None else payments, seed)
    return data


def book_path(rows: int, seed: int = SEED) -> Path:
    """Where the cached book of this size lives."""
    return BOOKS / f"bench-{rows}-s{seed}-v{VERSION}.xlsx"


def make_book(rows: int, seed: int = SEED, *, log=print) -> Path:
    """The cached benchmark book of ``rows`` sales lines (made on first use)."""
    path = book_path(rows, seed)
    if path.exists():
        return path
    BOOKS.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    data = book_data(rows, seed)
    tmp = path.with_suffix(".tmp.xlsx")
    build_book(tmp, "zh", SHOP, data, fiscal_year=YEAR)
    tmp.replace(path)
    log(f"  made {path.name}: {len(data['sales']):,} sales lines, {len(data['payments']):,} payments, "
        f"{len(data['customers']):,} customers ({time.perf_counter() - t0:.1f} s)")
    return path


def book_info(path: Path) -> dict:
    """Rows per input sheet of a benchmark book, and its size (read with calamine)."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    counts = {}
    for name, key in (("客户", "customers"), ("销售", "sales"), ("收款", "payments")):
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        counts[key] = max(0, len(rows) - 1)
    return {"file": path.name, "mb": round(path.stat().st_size / 1e6, 1), **counts}


def specs_path(rows: int, key: str, seed: int = SEED) -> Path:
    """Where the floor's precomputed tabs for this book and this sheetbook source are cached."""
    return BOOKS / f"bench-{rows}-s{seed}-v{VERSION}.tabs-{key}.pkl"


def prepare(folder: Path, key: str, sizes: list[int]) -> None:
    """Make each book and its precomputed tabs (for :mod:`benchmarks.floor`) when missing."""
    import shutil
    import tempfile

    from benchmarks import floor

    global BOOKS
    BOOKS = folder
    for rows in sizes:
        book = make_book(rows)
        target = specs_path(rows, key)
        if target.exists():
            continue
        for old in BOOKS.glob(f"bench-{rows}-s{SEED}-v{VERSION}.tabs-*.pkl"):
            old.unlink()  # tabs of an earlier version of the code
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "book.xlsx"
            shutil.copyfile(book, copy)
            floor.prepare(copy, target.with_suffix(".tmp"))
        target.with_suffix(".tmp").replace(target)
        print(f"  computed the {rows:,}-line book's tabs for the floor ({time.perf_counter() - t0:.1f} s)",
              flush=True)
