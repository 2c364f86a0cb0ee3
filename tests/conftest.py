"""Shared fixtures: the LibreOffice oracle and small helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import lo  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def libreoffice():
    """The LibreOffice CSV oracle; skips only when LibreOffice is absent and CI is not set."""
    if lo.soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required under CI (.ci/run installs it)")
        pytest.skip("LibreOffice is not installed (CI installs it)")
    return lo.to_csv
