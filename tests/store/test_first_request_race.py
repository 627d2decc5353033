"""A teammate's first bookings asked at the same moment from several processes all get their row.

Why: each request creates the teammate's Slack user row if missing; two that both found it missing
inserted it twice and the second request failed with a unique-key error (seen on PostgreSQL with two
bot/worker processes).
"""
from __future__ import annotations

import threading

import pytest

from booking.store.db import open_database
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

pytestmark = pytest.mark.both_databases


def test_first_requests_of_one_teammate_at_once_all_succeed(settings):
    open_database(settings.database_url).dispose()
    services = [BookingService(open_database(settings.database_url, run_migrations=False), settings,  # type: ignore[arg-type]
                               browsers=None, runner=None) for _ in range(6)]
    teammate = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example", timezone="Europe/Helsinki",
                        user_id="U777")
    barrier = threading.Barrier(len(services))
    made: list[int] = []
    errors: list[BaseException] = []

    def ask(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            made.append(services[n].request_booking(BookingRequestInput(
                teammate=teammate, url=f"https://calendly.com/startup-{n}/intro", platform="calendly")).id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(len(services))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(set(made)) == len(services)
    for service in services:
        service.db.dispose()
