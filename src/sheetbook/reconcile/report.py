"""The ``sheetbook reconcile --json`` document: the same facts as the tabs, for scripts.

Money is a string of 元 with exactly two decimals (``"1234.50"``, ``"-50.00"``): exact, and
read the same by every JSON parser (an int of 分 would be exact too but is easy to misread as
元). Dates are ISO strings; absent values are ``null``. Shape::

    {"as_of": "2026-03-31", "fiscal_year": 2026, "money": "yuan",
     "aging_buckets": [30, 60, 90],
     "aging_columns": {"not_due": {"zh": "未到期", "en": "Not due"}, "b1": {...}, ...},
     "totals": {"opening": "…", "sales": "…", "received": "…", "closing": "…",
                "unapplied": "…", "over_limit": "…", "unmatched_payments": "…",
                "aging": {"not_due": "…", …, "total": "…", "credit": "…"}},
     "counts": {"customers": n, "allocations": n, "open_items": n, "exceptions": n},
     "exceptions": {"payer.unmatched": n, …},
     "customers": [{"customer_id": "C001", "name": "…", "opening": "…", "sales": "…",
                    "received": "…", "closing": "…", "unapplied": "…", "credit_limit": null,
                    "over_limit": "…", "oldest_open": "2026-01-05", "max_days_overdue": 85,
                    "last_confirmed": null, "confirm_diff": null, "status": "逾期",
                    "status_en": "Overdue", "aging": {"not_due": "…", …}, "exceptions": n},
                   …]}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

from ..money import fen_to_decimal
from .aging import bucket_headers, bucket_keys
from .job import STATUS_EN, ReconcileResult

_MONEY = ("opening", "sales", "received", "closing", "unapplied", "credit_limit", "over_limit",
          "confirm_diff")


def yuan(fen: object) -> str | None:
    """分 as a 元 string with two decimals, None for a blank."""
    if fen is None or fen is pd.NA:
        return None
    return str(fen_to_decimal(int(fen)))  # type: ignore[call-overload]


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def reconcile_json(result: ReconcileResult) -> dict:
    """The JSON-ready dict of a reconcile result (see the module docstring)."""
    keys = bucket_keys(result.buckets)
    aging_keys = [*keys, "total", "credit"]
    aging = {row["customer_id"]: row for row in result.aging.to_dict("records")}
    per_customer = Counter(f.customer_id for f in result.exceptions)
    customers = []
    for row in result.receivables.to_dict("records"):
        rec: dict[str, object] = {}
        for k, v in row.items():
            if k in _MONEY:
                rec[k] = yuan(v)
            elif k in ("oldest_open", "last_confirmed"):
                rec[k] = _iso(v)
            elif k == "max_days_overdue":
                rec[k] = int(v)
            else:
                rec[k] = v
        rec["status_en"] = STATUS_EN.get(str(row["status"]), row["status"])
        ag = aging.get(row["customer_id"])
        rec["aging"] = {k: yuan(ag[k] if ag else 0) for k in aging_keys}
        rec["exceptions"] = per_customer.get(row["customer_id"], 0)
        customers.append(rec)
    totals: dict[str, object] = {k: yuan(result.totals.get(k, 0)) for k in
                                 ("opening", "sales", "received", "closing", "unapplied",
                                  "over_limit", "unmatched_payments")}
    totals["aging"] = {k: yuan(result.totals.get(k, 0)) for k in aging_keys}
    zh, en = bucket_headers(result.buckets, "zh"), bucket_headers(result.buckets, "en")
    columns = {k: {"zh": z, "en": e} for k, z, e in zip(keys, zh, en)}
    columns["total"] = {"zh": "合计", "en": "Total"}
    columns["credit"] = {"zh": "预收", "en": "Credit"}
    return {
        "as_of": result.as_of.isoformat(), "fiscal_year": result.fiscal_year, "money": "yuan",
        "aging_buckets": list(result.buckets), "aging_columns": columns, "totals": totals,
        "counts": {"customers": len(result.receivables), "allocations": len(result.allocations),
                   "open_items": len(result.open_items), "exceptions": len(result.exceptions)},
        "exceptions": dict(Counter(f.code for f in result.exceptions)),
        "customers": customers,
    }
