"""Benchmarks of sheetbook against the I/O floor and the naive pandas + openpyxl path.

Run ``python -m benchmarks`` from the repository root; see BENCHMARKS.md. The code measured is
this checkout's ``src/`` (put first on the path here and in every process the runner starts),
whether or not sheetbook is installed from it.
"""

import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
if SRC.is_dir() and str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))
