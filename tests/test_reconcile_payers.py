"""Payer resolution: exact name, alias, masked accounts, similarity with a clear winner, and
the exceptions when it cannot be decided."""

from __future__ import annotations

from reconcile_helpers import codes, customers, payments, receivable, run
from sheetbook.reconcile.payers import resolve_payers
from sheetbook.reconcile.timeline import read_customers

CUST = customers([
    {"customer_id": "C1", "name": "Golden Dragon Trading Co", "aliases": "金龙贸易; z***3"},
    {"customer_id": "C2", "name": "Silver Dragon Trading"},
    {"customer_id": "C3", "name": "李四建材商行", "aliases": "老李"},
    {"customer_id": "C4", "name": "李四建材商店"},
    {"customer_id": "C5", "name": "王六建材"},
])


def resolve(*rows: dict):
    """Resolution for payments given as dicts (date and amount filled in)."""
    frame = payments([{"date": "2026-01-05", "amount": 100, **r} for r in rows])
    return resolve_payers(read_customers(CUST), frame)


def test_typed_customer_id_wins():
    res = resolve({"customer_id": "c2", "payer": "老李"})
    assert res.customer_id.tolist() == ["C2"] and res.how.tolist() == ["id"]
    assert res.findings == []


def test_exact_name_case_and_width_insensitive():
    res = resolve({"payer": " golden  DRAGON trading co"}, {"payer": "李四建材商店"})
    assert res.customer_id.tolist() == ["C1", "C4"]
    assert res.how.tolist() == ["name", "name"]
    assert res.findings == []


def test_alias():
    res = resolve({"payer": "金龙贸易"}, {"payer": "老李"})
    assert res.customer_id.tolist() == ["C1", "C3"]
    assert res.how.tolist() == ["alias", "alias"]


def test_masked_account_matches_the_same_mask_only():
    res = resolve({"payer": "Z***3"}, {"payer": "z***4"})
    assert res.customer_id.tolist() == ["C1", ""]
    assert [f.code for f in res.findings] == ["payer.unmatched"]
    assert res.findings[0].row == 3


def test_fuzzy_clear_winner_is_used_and_reported():
    res = resolve({"payer": "Golden Dragon Trading"})
    assert res.customer_id.tolist() == ["C1"] and res.how.tolist() == ["fuzzy"]
    (f,) = res.findings
    assert (f.code, f.customer_id, f.column) == ("payer.fuzzy", "C1", "payer")
    assert "Golden Dragon Trading Co" in f.detail_zh


def test_fuzzy_tie_is_ambiguous_naming_both():
    res = resolve({"payer": "李四建材"})
    assert res.customer_id.tolist() == [""]
    (f,) = res.findings
    assert f.code == "payer.ambiguous" and f.customer_id == ""
    assert "C3" in f.detail_zh and "C4" in f.detail_zh
    assert "C3" in f.detail_en and "C4" in f.detail_en


def test_weak_match_is_unmatched_naming_the_closest():
    res = resolve({"payer": "王五"})
    assert res.customer_id.tolist() == [""]
    (f,) = res.findings
    assert f.code == "payer.unmatched" and "C5" in f.detail_zh


def test_nothing_close_is_unmatched():
    res = resolve({"payer": "完全不同的人"})
    (f,) = res.findings
    assert f.code == "payer.unmatched" and "最接近" not in f.detail_zh


def test_two_customers_sharing_a_name_are_ambiguous():
    cust = customers([{"customer_id": "A", "name": "张三"}, {"customer_id": "B", "name": "张三"}])
    frame = payments([{"date": "2026-01-05", "amount": 1, "payer": "张三"}])
    res = resolve_payers(read_customers(cust), frame)
    assert res.customer_id.tolist() == [""]
    assert res.findings[0].code == "payer.ambiguous"


def test_unknown_typed_id_is_an_exception():
    res = resolve({"customer_id": "C9"})
    assert res.customer_id.tolist() == [""]
    assert res.findings[0].code == "payment.unknown_customer"


def test_unmatched_payment_counts_for_nobody_in_the_job():
    r = run(CUST, None, payments([{"date": "2026-01-05", "amount": 100, "payer": "王五"},
                                  {"date": "2026-01-06", "amount": 50, "payer": "金龙贸易"}]))
    assert receivable(r, "C1")["received"] == 5000
    assert r.totals["received"] == 5000 and r.totals["unmatched_payments"] == 10000
    assert codes(r)[0] == "payer.unmatched"
    assert r.payers["customer_id"].tolist() == ["", "C1"]
    assert r.payers["how"].tolist() == ["", "alias"]
