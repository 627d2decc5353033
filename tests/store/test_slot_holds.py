"""Parallel bookings of one teammate never hold overlapping slots: across threads, services and processes.

The agent runs for real against a page stand-in that lists slots (no browser needed for the hold
logic); the holds go through the real database lock in ``booking/store/holds.py``.
"""
from __future__ import annotations

import itertools
import multiprocessing
import threading
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from booking.domain.slots import Interval, OfferedSlot, SlotRules
from booking.platforms.agent import BookingAgent, BookingJob
from booking.platforms.base import Invitee, Platform, SubmitResult
from booking.runtime.runner import JobRunner
from booking.store.db import open_database
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

HEL = ZoneInfo("Europe/Helsinki")
UTC = timezone.utc
EMAIL = "eduardo.paz@axa-innovation.example"
DAY = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)
CANDIDATES = [OfferedSlot.lasting(DAY + timedelta(minutes=30 * n), timedelta(minutes=30), f"slot {n}") for n in range(12)]


class ListedSlots(Platform):
    """A page that offers a fixed list of slots and counts how many were read."""

    name = "listed"
    label = "Test page"

    def __init__(self, slots: list[OfferedSlot]) -> None:
        super().__init__(SimpleNamespace(label=""))  # type: ignore[arg-type]
        self.slots = slots
        self.read = 0

    def open(self, url: str) -> None:
        return None

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        for slot in self.slots:
            self.read += 1
            yield slot

    def choose_slot(self, slot: OfferedSlot) -> None:
        return None

    def fill_details(self, invitee: Invitee, message: str) -> None:
        return None

    def submit(self) -> SubmitResult:
        return SubmitResult(confirmed=True)


pytestmark = pytest.mark.both_databases  # the teammate lock is a row lock on PostgreSQL, the write lock on SQLite

_URLS = itertools.count()  # one startup per booking: a teammate can't book one startup twice


def job_for(booking_id: int) -> BookingJob:
    rules = SlotRules(timezone="Europe/Helsinki", earliest=datetime(2026, 12, 1, tzinfo=UTC),
                      latest=datetime(2026, 12, 15, tzinfo=UTC))
    invitee = Invitee("Eduardo Paz", EMAIL, "AXA Innovation", "Venture Client Team", "Europe/Helsinki")
    return BookingJob(booking_id, "http://127.0.0.1:9/x", "Acme", [], invitee, "Hi", rules)


def new_service(database_url: str, settings) -> BookingService:  # type: ignore[no-untyped-def]
    """A service with its own engine and its own in-process locks, like another bot process."""
    return BookingService(open_database(database_url), settings, browsers=None, runner=JobRunner(1))  # type: ignore[arg-type]


def new_booking(service: BookingService) -> int:
    teammate = Teammate(name="Eduardo Paz", email=EMAIL, timezone="Europe/Helsinki")
    return service.request_booking(BookingRequestInput(teammate=teammate, url=f"http://127.0.0.1:9/x?n={next(_URLS)}",
                                                       platform="calendly")).id


def pick_and_hold(service: BookingService, booking_id: int) -> list[OfferedSlot]:
    agent = BookingAgent(ListedSlots(CANDIDATES), lambda step, text: None, service.slot_guard(booking_id))
    held, _, _ = agent._pick(job_for(booking_id))
    return held


def assert_apart(holds: list[list[OfferedSlot]]) -> None:
    intervals = [s.interval for held in holds for s in held]
    assert len(intervals) == 2 * len(holds), holds
    for i, a in enumerate(intervals):
        for b in intervals[i + 1:]:
            assert not a.overlaps(b), (a, b)


def _wait_after_reading(service: BookingService, barrier) -> None:  # type: ignore[no-untyped-def]
    """After reading the holds, wait (up to a second) until every racer has read: only the lock prevents it."""
    original = service.store.held_intervals

    def held_then_wait(session, booking):  # type: ignore[no-untyped-def]
        found = original(session, booking)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the others are blocked on the lock: exactly what should happen
        return found

    service.store.held_intervals = held_then_wait  # type: ignore[method-assign]


def test_a_refused_hold_makes_the_agent_scan_further(settings):
    """The other booking took the first picks after this job had read only two slots: it reads on."""
    service = new_service(settings.database_url, settings)
    first, second = new_booking(service), new_booking(service)
    assert [s.label for s in pick_and_hold(service, first)] == ["slot 0", "slot 1"]
    page = ListedSlots(CANDIDATES)
    job = job_for(second)  # built before the first booking held anything: its rules don't know
    agent = BookingAgent(page, lambda step, text: None, service.slot_guard(second))
    held, _, rules = agent._pick(job)
    assert [s.label for s in held] == ["slot 2", "slot 3"] and page.read == 4
    assert rules.held == (CANDIDATES[0].interval, CANDIDATES[1].interval)


def test_two_services_racing_on_one_database_hold_apart(settings):
    """Both jobs read the holds at the same moment unless the database lock makes one wait for the other.

    Each service has its own engine and its own process-level lock, so only the database lock is shared.
    After reading, a job waits (up to a second) for the other to have read too: without the lock both
    read "nothing held" and pick the same slots; with it, the second one only reads after the first commit.
    """
    services = [new_service(settings.database_url, settings) for _ in range(2)]
    bookings = [new_booking(services[0]) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=1.0)
    for service in services:
        _wait_after_reading(service, barrier)
    holds: dict[int, list[OfferedSlot]] = {}
    errors: list[BaseException] = []

    def racer(index: int) -> None:
        try:
            holds[index] = pick_and_hold(services[index], bookings[index])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=racer, args=(i,), name=f"racer-{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert_apart(list(holds.values()))
    assert barrier.broken  # the second job never read while the first one held the lock


def _hold_in_another_process(database_url: str, booking_id: int, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from booking.config.settings import Settings

    settings = Settings.from_env({"DATABASE_URL": database_url, "BOOKER_ALLOWED_HOSTS": "127.0.0.1"},
                                 env_file=None)
    service = new_service(database_url, settings)
    _wait_after_reading(service, barrier)
    results.put((booking_id, [s.start.isoformat() for s in pick_and_hold(service, booking_id)]))


def test_processes_holding_at_once_never_overlap(settings, tmp_path):
    """Three processes (own engines, own process locks) hold for one teammate at the same moment."""
    database_url = settings.database_url if not settings.is_sqlite else f"sqlite:///{tmp_path / 'shared.db'}"
    service = new_service(database_url, settings)
    bookings = [new_booking(service) for _ in range(3)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3, timeout=1.0), context.Queue()
    processes = [context.Process(target=_hold_in_another_process, args=(database_url, b, barrier, results))
                 for b in bookings]
    for process in processes:
        process.start()
    collected = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(60)
    holds = [[next(s for s in CANDIDATES if s.start == datetime.fromisoformat(iso)) for iso in isos]
             for _, isos in collected]
    assert_apart(holds)
    assert sorted(s.label for held in holds for s in held) == sorted(f"slot {n}" for n in range(6))


class _HoldEverything:
    def hold(self, slots):  # type: ignore[no-untyped-def]
        return list(slots)


def test_the_thread_says_whether_the_calendar_was_checked():
    from dataclasses import replace

    busy = (CANDIDATES[0].interval,)
    for checked, expected in [
        (True, "Free in your calendar: Wed 2 Dec, 09:30 (Europe/Helsinki) and Wed 2 Dec, 10:00 (Europe/Helsinki); "
               "skipped Wed 2 Dec 09:00 (busy in your calendar)"),
        (False, "Free on the page and in your hours: Wed 2 Dec, 09:00 (Europe/Helsinki) and Wed 2 Dec, 09:30 "
                "(Europe/Helsinki) (your calendar isn't connected, so other meetings weren't checked)"),
    ]:
        job = job_for(1)
        job.rules = replace(job.rules, busy=busy if checked else (), calendar_checked=checked)
        reports: list[tuple[str, str]] = []
        BookingAgent(ListedSlots(CANDIDATES), lambda step, text: reports.append((step, text)), _HoldEverything()).run(job)
        assert dict(reports)["slots_found"] == expected
