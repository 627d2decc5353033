"""`/book` ack latency while two worker processes are booking, against the same bot idle (same run).

The bot is what runs on a several-machine set-up: ``BOOKER_RUN_JOBS=false``, a waitress server taking
signed slash commands over real HTTP (one new connection each, as Slack does; the Slack fake behind it),
queuing every booking in the database. First the acks are measured with no worker running (idle), then
with two ``python -m booking worker --jobs 1`` processes booking queued jobs on real Chromium against the
Calendly replica on the same 2 cores (busy). The figures are p50/p99 of each and busy ÷ idle; how many
browser jobs were running while the busy acks were sent is sampled from the database and reported.
Run it with ``./dev bench ack_busy`` or ``python -m tests.bench.ack_busy [rate] [seconds]``.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import func, select

from booking.domain.states import BookingStatus
from booking.runtime.wiring import build_service
from booking.store.models import MeetingBookingRequest
from bot.app import EVENTS_PATH, build_app, create_http_server
from bot.client import make_client
from bot.notifier import slack_notifiers
from replicas.builds import replica_class
from replicas.calendly import CalendlyEventType, CalendlyHost, CalendlyReplica
from replicas.slack_api import SlackFake
from replicas.slack_requests import sign, slash_command
from replicas.world import seed_directory, working_slots
from tests.bench.ack import _post
from tests.bench.common import Result, bench_settings, percentile

HOSTS = 10
WORKERS = 2
WARM_UP = 20


def _sustained(one: Callable[[int], tuple[int, float]], first: int, count: int, rate: int) -> list[tuple[int, float]]:
    """``count`` acks, one every 1/rate s, each on its own thread so a slow one doesn't delay the next."""
    with ThreadPoolExecutor(max_workers=64) as pool:
        futures = []
        start = time.perf_counter()
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(one, first + i))
        return [f.result() for f in futures]


def _running(service) -> int:  # type: ignore[no-untyped-def]
    with service.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(MeetingBookingRequest).where(
            MeetingBookingRequest.status == BookingStatus.BOOKING_IN_PROGRESS.value)) or 0)


def _stored(service) -> int:  # type: ignore[no-untyped-def]
    with service.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(MeetingBookingRequest)) or 0)


def _booked(service) -> int:  # type: ignore[no-untyped-def]
    done = [s.value for s in BookingStatus if s.is_booked]
    with service.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(MeetingBookingRequest).where(
            MeetingBookingRequest.status.in_(done))) or 0)


def run(rate: int = 20, seconds: int = 15) -> list[Result]:
    count = rate * seconds
    users = WARM_UP + 2 * count
    now = datetime.now(timezone.utc)  # the workers run on the real clock
    hosts = [CalendlyHost(f"host-{n}", f"Host {n}", f"host{n}@s{n}.example",
                          [CalendlyEventType(slug="intro", title=f"Intro with Startup {n}")],
                          working_slots(now, days=10)) for n in range(HOSTS)]
    with SlackFake(bot_token="xoxb-bench") as slack, \
            replica_class("calendly", "first", CalendlyReplica)(hosts, [], now=lambda: now) as site:
        for i in range(users):
            slack.add_user(f"U{i:05d}", f"Teammate {i}", f"t{i}@axa.example", tz="Europe/Helsinki")
        settings = bench_settings(SLACK_API_URL=slack.api_url, BOOKER_RUN_JOBS="false")
        client = make_client(settings)
        service = build_service(replace(settings, run_jobs=False), notifiers=slack_notifiers(client),
                                browsers=object())  # type: ignore[arg-type]  # this process never opens one
        # One startup per /book (the same one for all would make each after the first a colleague question),
        # spread over the replica's ten hosts so the workers have real pages to book.
        seed_directory(service.db, [
            {"name": f"Startup {i:05d}", "platform": "calendly", "booking_url": site.event_url(f"host-{n}", "intro"),
             "people": [{"name": f"Host {n}", "role": "CEO", "email": f"host{n}@s{n}.example"}]}
            for i, n in ((i, i % HOSTS) for i in range(users))])
        server = create_http_server(build_app(settings, service, client=client), "127.0.0.1", 0)
        threading.Thread(target=server.run, daemon=True).start()
        url = f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"

        def one(i: int) -> tuple[int, float]:
            body = slash_command(text=f"Startup {i:05d}", user_id=f"U{i:05d}", response_url=slack.response_url(f"r{i}"))
            return _post(url, body, sign(settings.slack_signing_secret or "", body))

        _sustained(one, 0, WARM_UP, rate)  # not measured: first imports, connections, caches
        idle = _sustained(one, WARM_UP, count, rate)

        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update({"DATABASE_URL": settings.database_url, "BOOKER_SCREENSHOT_DIR": str(settings.screenshot_dir),
                    "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_RETRY_BACKOFF_SECONDS": "0",
                    "BOOKER_CHECK_INTERVAL_SECONDS": "5", "SLACK_BOT_TOKEN": "xoxb-bench",
                    "SLACK_API_URL": slack.api_url, "SLACK_SIGNING_SECRET": settings.slack_signing_secret or ""})
        workers = [subprocess.Popen([sys.executable, "-m", "booking", "worker", "--jobs", "1"], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                   for _ in range(WORKERS)]
        try:
            deadline = time.monotonic() + 120
            while _running(service) < WORKERS and time.monotonic() < deadline:  # both workers have a browser job
                time.sleep(0.2)
            booked_before = _booked(service)
            samples: list[int] = []
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(0.5):
                    samples.append(_running(service))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            busy = _sustained(one, WARM_UP + count, count, rate)
            stop.set()
            sampler.join(5)
            booked_during = _booked(service) - booked_before
            deadline = time.monotonic() + 60  # the work after each ack (user, row, parent message) ends first
            while _stored(service) < users and time.monotonic() < deadline:
                time.sleep(0.2)
            stored = _stored(service)
        finally:
            for process in workers:
                os.killpg(process.pid, signal.SIGTERM)
            for process in workers:
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            server.close()
            service.runner.shutdown()
            service.db.dispose()

    idle_ms = [t * 1000 for _, t in idle]
    busy_ms = [t * 1000 for _, t in busy]
    ok = sum(status == 200 for status, _ in idle + busy)
    i50, i99, b50, b99 = (percentile(idle_ms, 50), percentile(idle_ms, 99), percentile(busy_ms, 50),
                          percentile(busy_ms, 99))
    mean_running = sum(samples) / len(samples) if samples else 0.0
    load = f"{mean_running:.1f} of {WORKERS} browser jobs running on average, {booked_during} booked meanwhile"
    label = f"at {rate}/s for {seconds} s"
    answered = f"{ok}/{2 * count} answered 200; {stored}/{users} bookings stored"
    return [
        Result(f"ack_busy: /book ack p50 idle {label}", i50, "ms", "baseline", None, answered),
        Result(f"ack_busy: /book ack p99 idle {label}", i99, "ms", "baseline", None),
        Result(f"ack_busy: /book ack p50 busy {label}", b50, "ms", "—", None, load),
        Result(f"ack_busy: /book ack p99 busy {label}", b99, "ms", "≤ 50 ms", b99 <= 50, f"{os.cpu_count()} cores"),
        Result("ack_busy: p50 busy ÷ idle", b50 / i50, "×", "—", None),
        Result("ack_busy: p99 busy ÷ idle", b99 / i99, "×", "—", None),
    ]


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(Result.table(run(*args)))
