"""Directory import: 10 000 rows against ten 1 000-row imports, in the same run.

Linear work makes the ratio ≈ 1 (the old import re-read the whole directory for every row: 1 000 rows
took 12 s, 10 000 did not finish in 300 s). Each import goes the CLI's way: a CSV file read with the
csv module, every row validated, stored in batches into a fresh SQLite database; the 10 000 rows are
then imported again (all updates). A ``book``-like write during the big import is timed too: it
waits for at most one batch's commit, not for the import.
"""
from __future__ import annotations

import csv
import tempfile
import threading
import time
from pathlib import Path

from booking.store.db import open_database
from booking.store.directory import upsert_startup
from booking.store.imports import load_shortlist
from booking.workflow.admin import store_entries
from tests.bench.common import Result

ALLOWED = ("127.0.0.1:9",)  # no name to resolve: the figure is our work, not DNS


def write_shortlist(path: Path, rows: int, offset: int = 0) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Startup", "Booking URL", "Platform", "People"])
        for n in range(offset, offset + rows):
            writer.writerow([f"Startup {n} Мир", f"http://127.0.0.1:9/book/{n}", "calendly",
                             f"Ann Lee {n} (CEO) <ann{n}@s{n}.example>\nBen Ho {n}"])
    return path


def import_once(workdir: Path, rows: int, name: str) -> tuple[float, Path]:
    """Seconds to import ``rows`` rows into a fresh database (file read + validation + storing)."""
    shortlist = write_shortlist(workdir / f"{name}.csv", rows)
    db = open_database(f"sqlite:///{workdir / name}.db")
    try:
        started = time.perf_counter()
        report = store_entries(db, ALLOWED, load_shortlist(shortlist))
        elapsed = time.perf_counter() - started
        assert report.added == rows, report.summary()
    finally:
        db.dispose()
    return elapsed, shortlist


def write_during_import(workdir: Path, shortlist: Path) -> tuple[float, float]:
    """(the re-import's seconds, the slowest of the writes made meanwhile), on the big database."""
    db = open_database(f"sqlite:///{workdir / 'big'}.db")
    done = threading.Event()
    waits: list[float] = []

    def book_like_writes() -> None:
        n = 0
        while not done.is_set():
            started = time.perf_counter()
            with db.transaction() as session:
                upsert_startup(session, name=f"Walk-in {n}", booking_url="http://127.0.0.1:9/x", platform="calendly")
            waits.append(time.perf_counter() - started)
            n += 1
            done.wait(0.05)

    writer = threading.Thread(target=book_like_writes)
    try:
        started = time.perf_counter()
        writer.start()
        store_entries(db, ALLOWED, load_shortlist(shortlist))
        elapsed = time.perf_counter() - started
    finally:
        done.set()
        writer.join()
        db.dispose()
    return elapsed, max(waits, default=0.0)


def run() -> list[Result]:
    workdir = Path(tempfile.mkdtemp(prefix="booker-bench-import-"))
    small = [import_once(workdir, 1_000, f"small{n}")[0] for n in range(10)]
    big, shortlist = import_once(workdir, 10_000, "big")
    again, slowest_write = write_during_import(workdir, shortlist)
    ratio = big / sum(small)
    return [
        Result("import 10 000 rows / 10 × 1 000 rows", ratio, "×", "≤ 1.3 (linear)", ratio <= 1.3,
               f"10 000 rows {big:.2f} s; 10 × 1 000 rows {sum(small):.2f} s (median one {sorted(small)[5]:.2f} s)"),
        Result("import 10 000 rows", big, "s", "≤ 10 s", big <= 10, "new startups, fresh SQLite file"),
        Result("re-import 10 000 rows (updates) with writes meanwhile", again, "s", "—", None,
               f"slowest concurrent write {slowest_write * 1000:.0f} ms (none failed)"),
    ]
