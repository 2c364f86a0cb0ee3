"""Benchmarks of sheetbook against the I/O floor and the naive pandas + openpyxl path.

Run ``python -m benchmarks`` from the repository root; see BENCHMARKS.md.
"""
