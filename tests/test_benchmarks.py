"""Smoke test of the benchmark runner: ``python -m benchmarks --quick`` on a 1k-line book.

Only the shape of results.json is checked, never a time: timings belong to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
METHODS = {"floor", "naive", "validate", "reconcile", "run"}


def test_quick_run_writes_results_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--books", str(tmp_path / "books"),
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(out.read_text(encoding="utf-8"))
    assert set(res) >= {"version", "started", "seconds", "machine", "options", "sizes", "targets"}
    assert res["options"]["sizes"] == [1000] and res["options"]["rounds"] == 1
    assert list(res["sizes"]) == ["1000"]
    size = res["sizes"]["1000"]
    assert size["book"]["sales"] == 1000
    assert 900 <= size["book"]["payments"] <= 1100  # payments split to about one per sales line
    assert set(size["methods"]) == METHODS
    for name, method in size["methods"].items():
        assert method["rounds"] == 1, name
        (run,) = method["runs"]
        assert {"wall", "cpu", "rss_mb", "code"} <= set(run), name
        assert run["wall"] > 0 and run["rss_mb"] > 0, name
        assert set(method["median"]) >= {"wall", "cpu", "rss_mb"}, name
    assert {"read", "write"} <= set(size["methods"]["floor"]["median"])
    assert {"read", "compute", "write"} <= set(size["methods"]["naive"]["median"])
    assert {"reconcile/floor", "validate/floor", "run/floor", "naive/reconcile"} <= set(size["ratios"])
    assert res["targets"] == []  # the targets are stated at 100k and 300k lines only
    table = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "| 1,000 |" in table and "reconcile / floor" in table
    assert "| 1,000 |" in proc.stdout
