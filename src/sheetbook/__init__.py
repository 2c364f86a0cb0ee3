"""sheetbook: bookkeeping chores for a Chinese 个体户's Excel workbook.

The workbook is the database and the user interface; sheetbook validates it, reconciles
customer payments, estimates taxes and writes result tabs back without harming anything else.
"""

__version__ = "0.1.0"
