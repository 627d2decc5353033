"""The colleague lock holds between OS processes: two teammates asking for one startup from two bot
processes at the same moment → one books, the other is asked "Book anyway?" (never both booked).

Each process reads the clash and then waits (up to a second) for the other to have read it too: only
the database lock (booking/store/startup_locks.py) keeps the second from reading before the first inserted.
"""
from __future__ import annotations

import multiprocessing
import threading

import pytest

from booking.store.db import open_database
from booking.store.startup_locks import lock_id, startup_lock
from booking.workflow.coordination import Coordination
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

pytestmark = pytest.mark.both_databases
URL = "https://calendly.com/acme-robotics/intro"


def _decide_in_another_process(settings, email: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    service = BookingService(open_database(settings.database_url, run_migrations=False), settings,  # type: ignore[arg-type]
                             browsers=None, runner=None)
    request = BookingRequestInput(teammate=Teammate(name=email.split("@")[0], email=email, timezone="Europe/Helsinki"),
                                  url=URL, platform="calendly")
    with Coordination(service).deciding(request) as clash:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other process is waiting for the lock: what should happen
        if clash.colleagues:
            results.put(("asked", [c.user_email for c in clash.colleagues]))
            return
        results.put(("booked", service.request_booking(request).id))
    service.db.dispose()


def test_two_processes_deciding_on_one_startup_book_it_once(settings):
    open_database(settings.database_url).dispose()  # migrated once, before the processes start
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2, timeout=1.0), context.Queue()
    emails = ["eduardo.paz@axa-innovation.example", "maria.lopez@axa-innovation.example"]
    processes = [context.Process(target=_decide_in_another_process, args=(settings, e, barrier, results)) for e in emails]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    kinds = [kind for kind, _ in outcomes]
    assert kinds == ["asked", "booked"], outcomes
    asked = outcomes[0][1]
    assert len(asked) == 1 and asked[0] in emails  # the second saw the first's booking


def test_the_lock_is_per_startup_on_postgres_and_names_a_stable_number(settings, db_backend):
    assert lock_id("startup:acme") == lock_id("startup:acme") != lock_id("startup:zeta")
    assert -2**63 <= lock_id("startup:acme") < 2**63
    if db_backend != "postgresql":
        pytest.skip("SQLite has one lock file for every startup")
    db = open_database(settings.database_url)
    other = open_database(settings.database_url, run_migrations=False)
    got: list[str] = []
    with startup_lock(db, "startup:acme"):
        zeta = threading.Thread(target=lambda: _take(other, "startup:zeta", got))
        zeta.start()
        zeta.join(timeout=20)
        assert got == ["startup:zeta"]  # another startup doesn't wait
        acme = threading.Thread(target=lambda: _take(other, "startup:acme", got))
        acme.start()
        acme.join(timeout=1)
        assert acme.is_alive() and got == ["startup:zeta"]  # the same startup waits for the holder
    acme.join(timeout=20)
    assert got == ["startup:zeta", "startup:acme"]
    db.dispose()
    other.dispose()


def _take(db, key: str, got: list[str]) -> None:  # type: ignore[no-untyped-def]
    with startup_lock(db, key):
        got.append(key)
