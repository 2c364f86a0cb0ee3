"""The 税务 job: 增值税, 附加税费 and 经营所得 prepayment estimates for a 个体工商户.

Pure functions over typed tables; the rules (rates, thresholds, reliefs, deadlines) are data in
``rules/*.toml``, one file per period of validity.

- :func:`compute_tax` / :func:`tax_book` → :class:`TaxResult`
- :func:`tax_tabs` → the 税务 :class:`~sheetbook.tabspec.TabSpec`; :func:`tax_json` → ``--json``
- :func:`load_rules` → :class:`Rules`
"""

from .job import Note, TaxResult, TaxRow, compute_tax, tax_book
from .rules import Rules, RulesError, load_rules
from .tabs import tax_json, tax_tabs

__all__ = ["Note", "Rules", "RulesError", "TaxResult", "TaxRow", "compute_tax", "load_rules",
           "tax_book", "tax_json", "tax_tabs"]
