"""Who paid: resolve payments with a blank 客户编号 through the 付款人 name.

In order, for each distinct payer (compared with :func:`~sheetbook.text.normalize_id`):

1. exact 客户名称;
2. exact 别名 (``;``-separated in 客户). A masked account such as ``z***3`` (Alipay) or
   ``*三`` matches only an alias carrying the same mask, never by similarity;
3. similarity (rapidfuzz ``WRatio``, 0–100) over every name and alias: accepted only when the
   best customer scores at least :data:`CUTOFF` *and* beats the next distinct customer by at
   least :data:`MARGIN`. An accepted similarity match is still reported (``payer.fuzzy``) so the
   user can confirm it.

Two customers sharing a name or alias, a near tie, or a weak best score are exceptions that
name the candidates; the payment then counts for nobody (it is never guessed silently).
A 客户编号 that is filled but not in 客户 is an exception too (the reader normally rejects it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ..text import normalize_id, split_list
from . import exceptions as ex
from .timeline import Customers, money_of, normalized_column, positions, texts

CUTOFF = 90.0  #: lowest similarity accepted
MARGIN = 5.0  #: lead over the next distinct customer needed
SHOW = 60.0  #: lowest similarity named as a candidate in an exception
MASK_CHARS = "*＊"

HOW_ID, HOW_NAME, HOW_ALIAS, HOW_FUZZY = "id", "name", "alias", "fuzzy"


@dataclass(frozen=True)
class Match:
    """How one payer resolved.

    Attributes:
        cust: customer position, -1 when not resolved.
        how: ``name``, ``alias``, ``fuzzy`` or '' (not resolved).
        code: the exception code to report ('' when none).
        score: best similarity (fuzzy only).
        candidates: (customer position, score) pairs named in the exception.
    """

    cust: int
    how: str
    code: str = ""
    score: float = 0.0
    candidates: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Resolution:
    """Payer resolution for a payments table.

    Attributes:
        customer_id: per payment row (aligned with the input index), the customer's own id,
            '' when unresolved.
        how: per payment row — ``id`` (typed), ``name``, ``alias``, ``fuzzy`` or ''.
        findings: exceptions (unmatched, ambiguous, fuzzy, unknown id).
    """

    customer_id: pd.Series
    how: pd.Series
    findings: list[ex.Finding]


def is_masked(text: str) -> bool:
    """Whether a payer or alias is a masked account (``z***3``, ``*三``)."""
    return any(ch in text for ch in MASK_CHARS)


class PayerIndex:
    """Names and aliases of the customers, ready for exact and similarity look-ups."""

    def __init__(self, customers: Customers):
        self.customers = customers
        self.names: dict[str, set[int]] = {}
        self.aliases: dict[str, set[int]] = {}
        choices: dict[str, set[int]] = {}
        for c, (name, aliases) in enumerate(zip(customers.names, customers.aliases)):
            key = normalize_id(name)
            if key:
                self.names.setdefault(key, set()).add(c)
                choices.setdefault(key, set()).add(c)
            for alias in split_list(aliases):
                akey = normalize_id(alias)
                self.aliases.setdefault(akey, set()).add(c)
                if not is_masked(akey):
                    choices.setdefault(akey, set()).add(c)
        self.choice_keys = list(choices)
        self.choice_cust = [sorted(choices[k]) for k in self.choice_keys]

    def match(self, payer: str) -> Match:
        """Resolve one payer name (see the module docstring for the order)."""
        key = normalize_id(payer)
        if not key:
            return Match(-1, "", "payer.unmatched")
        for table, how in ((self.names, HOW_NAME), (self.aliases, HOW_ALIAS)):
            hits = table.get(key)
            if hits:
                if len(hits) == 1:
                    return Match(next(iter(hits)), how)
                return Match(-1, "", "payer.ambiguous", 100.0,
                             tuple((c, 100.0) for c in sorted(hits)))
        if is_masked(key) or not self.choice_keys:
            return Match(-1, "", "payer.unmatched")
        return self._fuzzy(key)

    def _fuzzy(self, key: str) -> Match:
        best: dict[int, float] = {}
        for _choice, score, i in process.extract(key, self.choice_keys, scorer=fuzz.WRatio,
                                                 score_cutoff=SHOW, limit=None):
            for c in self.choice_cust[i]:
                if score > best.get(c, -1.0):
                    best[c] = score
        ranked = sorted(best.items(), key=lambda cs: (-cs[1], cs[0]))
        if not ranked:
            return Match(-1, "", "payer.unmatched")
        top_c, top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if top >= CUTOFF and top - second >= MARGIN:
            return Match(top_c, HOW_FUZZY, "payer.fuzzy", top, ((top_c, top),))
        shown = tuple(ranked[:3])
        code = "payer.ambiguous" if top >= CUTOFF else "payer.unmatched"
        return Match(-1, "", code, top, shown)


def _who(customers: Customers, c: int) -> str:
    return f"{customers.ids[c]} {customers.names[c]}".strip()


def _finding(customers: Customers, match: Match, payer: str, row: int, amount: int) -> ex.Finding:
    who = "、".join(f"{_who(customers, c)}（{score:.0f}）" for c, score in match.candidates)
    who_en = "; ".join(f"{_who(customers, c)} ({score:.0f})" for c, score in match.candidates)
    if match.code == "payer.fuzzy":
        c = match.cust
        return ex.make("payer.fuzzy", "payments", row, "payer", customers.ids[c], amount,
                       payer=payer, customer=_who(customers, c), score=f"{match.score:.0f}")
    if match.code == "payer.ambiguous":
        return ex.make("payer.ambiguous", "payments", row, "payer", "", amount, payer=payer,
                       candidates=who, candidates_en=who_en)
    return ex.make("payer.unmatched", "payments", row, "payer", "", amount,
                   payer=payer or "（空）", payer_en=payer or "(blank)",
                   near=f"（最接近：{who}）" if who else "",
                   near_en=f" (closest: {who_en})" if who else "")


def resolve_payers(customers: Customers, payments: pd.DataFrame) -> Resolution:
    """A customer id for every payment row: the typed 客户编号, or one matched by 付款人."""
    n = len(payments)
    typed = normalized_column(payments, "customer_id")
    pos = positions(typed, customers)
    how = np.where(pos >= 0, HOW_ID, "").astype(object)
    findings: list[ex.Finding] = []
    if n:
        rows = payments["_row"].to_numpy(dtype=np.int64)
        amounts = money_of(payments["amount"])
        raw_ids, payers = texts(payments, "customer_id"), texts(payments, "payer")
        index = PayerIndex(customers)
        cache: dict[str, Match] = {}
        for i in np.flatnonzero(pos < 0).tolist():
            row, amount = int(rows[i]), int(amounts[i])
            if typed[i]:
                findings.append(ex.make("payment.unknown_customer", "payments", row,
                                        "customer_id", raw_ids[i], amount, customer=raw_ids[i]))
                continue
            key = normalize_id(payers[i])
            match = cache.get(key)
            if match is None:
                match = cache[key] = index.match(payers[i])
            pos[i], how[i] = match.cust, match.how
            if match.code:
                findings.append(_finding(customers, match, payers[i], row, amount))
    ids = np.array(customers.ids + [""], dtype=object)[np.where(pos >= 0, pos, len(customers))]
    return Resolution(pd.Series(ids, index=payments.index, dtype=str),
                      pd.Series(how, index=payments.index, dtype=str), findings)
