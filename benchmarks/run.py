"""The benchmark runner: ``python -m benchmarks`` (see BENCHMARKS.md).

For each book size (sales lines; about as many payments, see :mod:`benchmarks.books`) it times,
in rounds that interleave the methods, each in a fresh process on a fresh copy of the book:

- ``floor``: python-calamine alone reading every input sheet + the bare writer writing the
  result tabs of ``sheetbook reconcile`` (precomputed) — :mod:`benchmarks.floor`;
- ``naive``: pandas ``read_excel`` (openpyxl) + the same computation + openpyxl ``load_workbook``
  / plain cells / ``save`` — :mod:`benchmarks.naive`;
- ``validate``, ``reconcile``, ``run``: the ``sheetbook`` commands, end to end.

Each process's wall time, CPU time (user + sys) and peak RSS are measured from outside
(``os.wait4``); the table shows medians. Results go to ``benchmarks/results.json`` and a
Markdown table to ``benchmarks/results.md``; ``--update-docs`` also puts the table into
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import books

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (10_000, 100_000, 300_000)
QUICK_SIZE = 1_000
METHODS = ("floor", "naive", "validate", "reconcile", "run")
CLI = {"validate": "validate", "reconcile": "reconcile", "run": "run"}
#: Above this many sales lines the naive path is skipped unless --naive-max says otherwise
#: (openpyxl needs minutes and gigabytes there: see shared/domain/xlsx-performance-notes.md).
NAIVE_MAX = 100_000
#: From this many sales lines on, validate and run (not in the targets) get one round, unless --full.
ONE_ROUND = 100_000
#: From this many sales lines on, floor and reconcile get at most two rounds, unless --full.
BIG = 300_000
GIB = 1 << 30

TARGETS_DOC = {
    "reconcile_vs_floor": "reconcile ≤ 2× the I/O floor at 100k",
    "naive_vs_reconcile": "reconcile ≥ 10× faster than the naive path at 100k",
    "scaling_300k": "reconcile at 300k ≤ 3.5× reconcile at 100k",
    "rss_300k": "peak RSS < 1 GiB at 300k (validate, reconcile, run)",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("SHEETBOOK_DEBUG", None)
    return env


def measure(cmd: list[str], cwd: Path, ok_codes=(0,)) -> dict:
    """Run one process; its wall and CPU seconds, peak RSS and stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=child_env(), stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if proc.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}: {stderr.strip()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "code": proc.returncode, "stdout": stdout}


class Bench:
    """One run of the benchmark over some sizes."""

    def __init__(self, sizes: list[int], rounds: int, naive_rounds: int, naive_max: int,
                 full: bool, books_dir: Path, work: Path):
        self.sizes, self.rounds, self.naive_rounds = sizes, rounds, naive_rounds
        self.naive_max, self.full, self.work = naive_max, full, work
        self.books_dir = books_dir
        self.paths: dict[int, Path] = {}
        self.specs: dict[int, Path] = {}
        self.results: dict[int, dict[str, list[dict]]] = {n: {m: [] for m in METHODS} for n in sizes}

    def rounds_for(self, size: int, method: str) -> int:
        if method == "naive":
            return 0 if size > self.naive_max else min(self.naive_rounds, self.rounds)
        if self.full:
            return self.rounds
        if method in ("validate", "run") and size >= ONE_ROUND:
            return 1
        if size >= BIG:
            return min(self.rounds, 2)
        return self.rounds

    def prepare(self) -> None:
        """Books and the floor's precomputed tabs, made where missing, two processes at a time."""
        books.BOOKS = self.books_dir
        key = code_key()
        todo = [n for n in self.sizes if not books.book_path(n).exists() or not books.specs_path(n, key).exists()]
        if todo:
            log(f"preparing {', '.join(f'{n:,}' for n in todo)}-line books and their tabs "
                f"(cached in {self.books_dir})")
            prepare_lanes(todo, self.books_dir, key)
        for n in self.sizes:
            self.paths[n] = books.book_path(n)
            self.specs[n] = books.specs_path(n, key)

    def copy(self, size: int, tag: str) -> Path:
        folder = self.work / f"{tag}-{size}-{time.monotonic_ns()}"
        folder.mkdir(parents=True)
        target = folder / "book.xlsx"
        shutil.copyfile(self.paths[size], target)
        return target

    def once(self, size: int, method: str) -> dict:
        book = self.copy(size, method)
        if method == "floor":
            r = measure([sys.executable, "-m", "benchmarks.floor", "run", str(book), str(self.specs[size])], REPO)
            inner = json.loads(r["stdout"])
            r.update(read=inner["read"], write=inner["write"])
            r["wall"] -= inner["load"]  # unpickling the precomputed tabs is not I/O
            r["cpu"] -= inner["load"]
        elif method == "naive":
            r = measure([sys.executable, "-m", "benchmarks.naive", str(book)], REPO)
            inner = json.loads(r["stdout"])
            r.update(read=inner["read"], compute=inner["compute"], write=inner["write"])
        else:
            r = measure([sys.executable, "-m", "sheetbook", CLI[method], str(book)], book.parent, ok_codes=(0, 1))
        shutil.rmtree(book.parent, ignore_errors=True)
        r.pop("stdout", None)
        return r

    def go(self) -> None:
        for k in range(self.rounds):
            for n in self.sizes:
                for method in METHODS:
                    if k >= self.rounds_for(n, method):
                        continue
                    r = self.once(n, method)
                    self.results[n][method].append(r)
                    log(f"  round {k + 1}  {n:>7,}  {method:<9} {r['wall']:7.2f} s  cpu {r['cpu']:7.2f} s  "
                        f"rss {r['rss_mb']:6.0f} MB")


def code_key() -> str:
    """A digest of the sheetbook source measured (the floor's cached tabs depend on it)."""
    import hashlib

    digest = hashlib.sha1()
    src = REPO / "src" / "sheetbook"
    for path in sorted(src.rglob("*")):
        if path.suffix in (".py", ".toml") and path.is_file():
            digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def prepare_lanes(sizes: list[int], folder: Path, key: str) -> None:
    """Make the books and tabs of ``sizes`` in two processes (one per core), balanced by size."""
    folder.mkdir(parents=True, exist_ok=True)
    lanes: list[list[int]] = [[], []]
    for n in sorted(sizes, reverse=True):
        min(lanes, key=sum).append(n)
    code = "import sys; from pathlib import Path; from benchmarks import books; " \
           "books.prepare(Path(sys.argv[1]), sys.argv[2], [int(n) for n in sys.argv[3:]])"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(folder), key, *map(str, lane)],
                              cwd=REPO, env=child_env(), stdout=sys.stderr)
             for lane in lanes if lane]
    for p in procs:
        if p.wait() != 0:
            raise RuntimeError("preparing a benchmark book failed")


def median(rs: list[dict], key: str) -> float | None:
    vals = [r[key] for r in rs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarise(bench: Bench, seconds: float, load_before, load_after) -> dict:
    sizes = {}
    for n in bench.sizes:
        info = books.book_info(bench.paths[n])
        methods = {}
        for m in METHODS:
            rs = bench.results[n][m]
            entry = {"rounds": len(rs), "runs": rs}
            if rs:
                entry["median"] = {k: median(rs, k) for k in ("wall", "cpu", "rss_mb", "read", "compute", "write")
                                   if median(rs, k) is not None}
            else:
                entry["skipped"] = (f"naive path skipped above {bench.naive_max:,} sales lines "
                                    "(use --naive-max to run it)")
            methods[m] = entry
        sizes[str(n)] = {"book": info, "methods": methods, "ratios": ratios(methods)}
    return {
        "version": 1,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "seconds": seconds,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "loadavg_before": load_before,
                    "loadavg_after": load_after},
        "options": {"sizes": bench.sizes, "rounds": bench.rounds, "naive_rounds": bench.naive_rounds,
                    "naive_max": bench.naive_max, "full": bench.full},
        "sizes": sizes,
        "targets": targets(sizes),
    }


def _med(methods: dict, m: str, key: str = "wall") -> float | None:
    return methods.get(m, {}).get("median", {}).get(key)


def ratios(methods: dict) -> dict:
    out = {}
    for key in ("wall", "cpu"):
        floor = _med(methods, "floor", key)
        naive = _med(methods, "naive", key)
        for m in ("validate", "reconcile", "run"):
            t = _med(methods, m, key)
            if floor and t:
                out[f"{m}/floor" + ("" if key == "wall" else " (cpu)")] = t / floor
        t = _med(methods, "reconcile", key)
        if naive and t:
            out["naive/reconcile" + ("" if key == "wall" else " (cpu)")] = naive / t
    return out


def targets(sizes: dict) -> list[dict]:
    out = []

    def add(key: str, value: float | None, limit: float, holds: bool | None, unit: str = "×"):
        out.append({"key": key, "target": TARGETS_DOC[key], "value": value, "limit": limit, "unit": unit,
                    "holds": holds})

    m100 = sizes.get("100000", {}).get("methods")
    m300 = sizes.get("300000", {}).get("methods")
    if m100:
        r = sizes["100000"]["ratios"]
        v = r.get("reconcile/floor")
        add("reconcile_vs_floor", v, 2.0, None if v is None else v <= 2.0)
        v = r.get("naive/reconcile")
        add("naive_vs_reconcile", v, 10.0, None if v is None else v >= 10.0)
    if m100 and m300:
        a, b = _med(m300, "reconcile"), _med(m100, "reconcile")
        v = a / b if a and b else None
        add("scaling_300k", v, 3.5, None if v is None else v <= 3.5)
    if m300:
        rss = [_med(m300, m, "rss_mb") for m in ("validate", "reconcile", "run")]
        rss = [x for x in rss if x is not None]
        v = max(rss) if rss else None
        add("rss_300k", v, GIB / (1 << 20), None if v is None else v * (1 << 20) < GIB, "MB")
    return out


def fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _cell(res: dict, m: dict, name: str) -> str:
    v = _med(m, name)
    if v is None:
        return "skipped"
    k = m[name]["rounds"]
    return fmt_s(v) + ("" if k == res["options"]["rounds"] else f" ({k} run{'s' if k > 1 else ''})")


def _ratio(r: dict, key: str) -> str:
    if r.get(key) is None:
        return "—"
    cpu = r.get(key + " (cpu)")
    return f"{r[key]:.2f}×" + ("" if cpu is None else f" (cpu {cpu:.2f}×)")


def table(res: dict) -> str:
    """The results as a Markdown table (also printed)."""
    lines = ["| sales lines | payments | floor s (read + write) | naive s | validate s | reconcile s | run s "
             "| reconcile / floor | naive / reconcile | peak RSS MB (validate / reconcile / run) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, s in res["sizes"].items():
        m = s["methods"]
        fl = m["floor"].get("median", {})
        floor = f"{fmt_s(fl.get('wall'))} ({fmt_s(fl.get('read'))} + {fmt_s(fl.get('write'))})"
        r = s["ratios"]
        rss = " / ".join(f"{_med(m, x, 'rss_mb'):.0f}" if _med(m, x, "rss_mb") else "—"
                         for x in ("validate", "reconcile", "run"))
        lines.append(f"| {int(n):,} | {s['book']['payments']:,} | {floor} | {_cell(res, m, 'naive')} "
                     f"| {_cell(res, m, 'validate')} | {_cell(res, m, 'reconcile')} | {_cell(res, m, 'run')} "
                     f"| {_ratio(r, 'reconcile/floor')} | {_ratio(r, 'naive/reconcile')} | {rss} |")
    lines.append("")
    lines.append("| target | measured | holds |")
    lines.append("|---|---:|:---:|")
    for t in res["targets"]:
        v = "—" if t["value"] is None else (f"{t['value']:.0f} MB" if t["unit"] == "MB" else f"{t['value']:.2f}×")
        holds = {True: "yes", False: "**no**", None: "not measured"}[t["holds"]]
        lines.append(f"| {t['target']} | {v} | {holds} |")
    return "\n".join(lines)


def update_docs(md: str, res: dict, path: Path) -> None:
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        log(f"{path.name} has no {start} … {end} markers; not updated")
        return
    head = (f"Latest run: {res['started']}, {res['machine']['cores']} cores, Python {res['machine']['python']}, "
            f"{res['options']['rounds']} rounds, medians of wall time; load average before/after "
            f"{res['machine']['loadavg_before'][0]:.1f}/{res['machine']['loadavg_after'][0]:.1f}; "
            f"the whole run took {res['seconds'] / 60:.1f} min.\n\n")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    path.write_text(before + start + "\n" + head + md + "\n" + end + after, encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="sales lines per book, comma-separated (default: %(default)s)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds (medians are reported; default 3)")
    ap.add_argument("--naive-rounds", type=int, default=1,
                    help="rounds of the naive path, which takes far longer (default 1)")
    ap.add_argument("--naive-max", type=int, default=NAIVE_MAX,
                    help="skip the naive path above this many sales lines (default %(default)s)")
    ap.add_argument("--full", action="store_true",
                    help=f"every method every round (default: validate and run once from {ONE_ROUND:,} "
                         f"lines, floor and reconcile at most twice from {BIG:,})")
    ap.add_argument("--quick", action="store_true",
                    help=f"smoke run: one {QUICK_SIZE:,}-line book, one round, every method")
    ap.add_argument("--books", type=Path, default=books.BOOKS, help="where books are cached")
    ap.add_argument("--out", type=Path, default=HERE / "results.json", help="results file")
    ap.add_argument("--update-docs", action="store_true", help="put the table into BENCHMARKS.md")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds, args.naive_rounds = str(QUICK_SIZE), 1, 1
    return args


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    t0 = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sheetbook-bench-") as tmp:
        bench = Bench(sizes, max(1, args.rounds), max(1, args.naive_rounds), args.naive_max, args.full,
                      args.books.resolve(), Path(tmp))
        bench.prepare()
        log(f"timing {', '.join(f'{n:,}' for n in sizes)} sales lines, {bench.rounds} round(s), interleaved")
        bench.go()
    res = summarise(bench, time.perf_counter() - t0, load_before, os.getloadavg())
    md = table(res)
    print(md)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    args.out.with_suffix(".md").write_text(md + "\n", encoding="utf-8")
    if args.update_docs and args.quick:
        log("--quick results are not put into BENCHMARKS.md")
    elif args.update_docs:
        update_docs(md, res, REPO / "BENCHMARKS.md")
    log(f"results: {args.out} ({res['seconds']:.0f} s)")
    return res
