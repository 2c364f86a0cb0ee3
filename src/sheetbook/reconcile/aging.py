"""Aging: open items by days overdue, in the buckets of 设置 › 账龄分段.

Days overdue = as-of date − due date. 0 or less is 未到期 (not due); the upper bounds are
inclusive, so with ``30,60,90`` an item exactly 30 days overdue is in 1-30天, 31 days in
31-60天, and more than 90 days in 90天以上. Other bucket lists give other columns, named from
the numbers (``1-45天`` / ``1-45 days``, ``45天以上`` / ``Over 45 days``); their keys are ``b1``,
``b2`` … in order (the contract's 1-30天 … 90天以上 are ``b1`` … ``b4``).

Unapplied credit (预收) is not an open item: it has its own column ``credit`` (预收 / Credit),
after the contract columns, holding the credit as a **negative** amount, so that
合计 (``total``) = the buckets + 预收 = 期末应收.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .timeline import Customers

DEFAULT_BUCKETS = (30, 60, 90)


def clean_buckets(buckets: Iterable[int] | None) -> tuple[int, ...]:
    """Positive, distinct, ascending bucket bounds (the default when none are usable)."""
    out = tuple(sorted({int(b) for b in buckets or () if int(b) > 0}))
    return out or DEFAULT_BUCKETS


def bucket_keys(buckets: Sequence[int]) -> list[str]:
    """Column keys: ``not_due``, then ``b1`` … ``b{n+1}``."""
    return ["not_due"] + [f"b{i + 1}" for i in range(len(buckets) + 1)]


def bucket_headers(buckets: Sequence[int], lang: str) -> list[str]:
    """Headers for :func:`bucket_keys` (``未到期``, ``1-30天`` … ``90天以上``)."""
    zh = lang != "en"
    out = ["未到期" if zh else "Not due"]
    low = 1
    for high in buckets:
        out.append(f"{low}-{high}天" if zh else f"{low}-{high} days")
        low = high + 1
    out.append(f"{buckets[-1]}天以上" if zh else f"Over {buckets[-1]} days")
    return out


def bucket_of(days_overdue: int, buckets: Sequence[int]) -> int:
    """0 for not due, else 1 … n+1 (inclusive upper bounds)."""
    if days_overdue <= 0:
        return 0
    return bisect.bisect_left(buckets, days_overdue) + 1


def aging_table(open_items: pd.DataFrame, credit: Sequence[int], customers: Customers,
                as_of_day: int, buckets: Sequence[int]) -> pd.DataFrame:
    """One row per customer with open items or credit.

    Columns: customer_id, name, the bucket keys, ``total`` and ``credit`` (negative), all money
    as Int64 分; rows sorted by total (largest first), then customer order.
    """
    buckets = clean_buckets(buckets)
    keys = bucket_keys(buckets)
    n = len(customers)
    grid = np.zeros((n, len(keys)), dtype=np.int64)
    if len(open_items):
        where = {cid: i for i, cid in enumerate(customers.ids)}
        pos = np.array([where[cid] for cid in open_items["customer_id"].tolist()])
        due = open_items["due_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
        overdue = as_of_day - due
        col = np.where(overdue <= 0, 0,
                       np.searchsorted(np.array(buckets), overdue, side="left") + 1)
        np.add.at(grid, (pos, col), open_items["open"].to_numpy(dtype=np.int64))
    credit_arr = -np.array(list(credit) or [0] * n, dtype=np.int64)[:n]
    total = grid.sum(axis=1) + credit_arr
    keep = [c for c in range(n) if grid[c].any() or credit_arr[c]]
    keep.sort(key=lambda c: (-int(total[c]), c))
    data: dict[str, object] = {
        "customer_id": [customers.ids[c] for c in keep],
        "name": [customers.names[c] for c in keep],
    }
    for j, k in enumerate(keys):
        data[k] = pd.array(grid[keep, j] if keep else [], dtype="Int64")
    data["total"] = pd.array(total[keep] if keep else [], dtype="Int64")
    data["credit"] = pd.array(credit_arr[keep] if keep else [], dtype="Int64")
    return pd.DataFrame(data)

