"""The reconcile job (issue 5): balances, allocations, aging and exceptions per customer.

Public API::

    reconcile(customers, sales, payments, confirmations, settings, fiscal_year, as_of)
        -> ReconcileResult                      # pure, over typed tables (model.py)
    reconcile_book(book, as_of=None) -> ReconcileResult
    reconcile_tabs(result, book, lang, run_at=None) -> list[TabSpec]
    reconcile_json(result) -> dict              # the ``reconcile --json`` document

Modules: :mod:`.timeline` (inputs prepared once, event order), :mod:`.allocation` (the engine),
:mod:`.payers` (payer resolution), :mod:`.aging`, :mod:`.exceptions` (待处理 rows and checks),
:mod:`.job`, :mod:`.tabs`, :mod:`.report` (JSON).
"""

from .job import ReconcileResult, reconcile, reconcile_book
from .report import reconcile_json
from .tabs import reconcile_tabs

__all__ = ["ReconcileResult", "reconcile", "reconcile_book", "reconcile_json", "reconcile_tabs"]
