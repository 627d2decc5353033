"""`/book` ack latency over real HTTP (waitress), sustained load and a burst.

Signed slash commands are POSTed to the bot's WSGI server, each on a new connection as Slack does,
each teammate booking a different startup of a 1 200-entry directory.
The booking work after the ack (user lookup, database row, parent message) runs as usual against
the Slack fake; browser jobs are queued but not run, so the figures are the front door alone.
"""
from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.bench.common import Result, bench_settings, percentile


class _QueueOnlyRunner:
    """Accepts jobs without running browsers: this benchmark measures the front door."""

    def __init__(self) -> None:
        self.jobs = 0

    def submit(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.jobs += 1

    def shutdown(self, wait: bool = True) -> None:
        return None


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int, float]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status, time.perf_counter() - started


def run(rate: int = 50, seconds: int = 20, burst: int = 200) -> list[Result]:
    from booking.store.db import open_database
    from booking.store.models import MeetingBookingRequest
    from booking.workflow.service import BookingService
    from bot.app import EVENTS_PATH, build_app, create_http_server
    from bot.client import make_client
    from bot.notifier import slack_notifiers
    from replicas.slack_api import SlackFake
    from replicas.slack_requests import sign, slash_command
    from replicas.world import build_calendly, directory_entries, seed_directory

    total_users = rate * seconds + burst
    with SlackFake(bot_token="xoxb-bench") as slack, build_calendly() as calendly:
        for i in range(total_users):
            slack.add_user(f"U{i:05d}", f"Teammate {i}", f"t{i}@axa.example")
        settings = bench_settings(SLACK_API_URL=slack.api_url)
        client = make_client(settings)
        db = open_database(settings.database_url)
        # One startup per request: the same startup for everyone would turn every /book after the
        # first into a "a colleague is already booking it" question, not a booking.
        seed_directory(db, directory_entries(calendly) + [
            {"name": f"Startup {i:05d}", "platform": "calendly", "booking_url": calendly.event_url("carla-beta", "30min")}
            for i in range(total_users)])
        service = BookingService(db, settings, browsers=None, runner=_QueueOnlyRunner(),  # type: ignore[arg-type]
                                 notifiers=slack_notifiers(client))
        app = build_app(settings, service, client=client)
        server = create_http_server(app, "127.0.0.1", 0)
        threading.Thread(target=server.run, daemon=True).start()
        url = f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"

        def one(i: int) -> tuple[int, float]:
            body = slash_command(text=f"Startup {i:05d}", user_id=f"U{i:05d}", response_url=slack.response_url(f"r{i}"))
            return _post(url, body, sign(settings.slack_signing_secret or "", body))

        # Sustained: one request every 1/rate s, each on its own thread so a slow one doesn't delay the next.
        sustained: list[tuple[int, float]] = []
        with ThreadPoolExecutor(max_workers=64) as pool:
            futures = []
            start = time.perf_counter()
            for i in range(rate * seconds):
                delay = start + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(one, i))
            sustained = [f.result() for f in futures]
        latencies = [t for _, t in sustained]
        ok = sum(1 for status, _ in sustained if status == 200)

        # Burst: all at once.
        barrier = threading.Barrier(burst)

        def burst_one(i: int) -> tuple[int, float]:
            barrier.wait()
            return one(rate * seconds + i)

        with ThreadPoolExecutor(max_workers=burst) as pool:
            burst_results = list(pool.map(burst_one, range(burst)))
        burst_ok = sum(1 for status, _ in burst_results if status == 200)
        slowest = max(t for _, t in burst_results)

        deadline = time.monotonic() + 60
        expected = rate * seconds + burst
        while time.monotonic() < deadline:
            with db.session() as session:
                stored = session.query(MeetingBookingRequest).count()
            if stored >= expected:
                break
            time.sleep(0.2)
        server.close()
        db.dispose()

    p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
    lost = expected - stored
    return [
        Result(f"/book ack p50 at {rate}/s for {seconds} s", p50, "ms", "—", None, f"{ok}/{len(sustained)} answered 200"),
        Result(f"/book ack p99 at {rate}/s for {seconds} s", p99, "ms", "≤ 50 ms", p99 <= 50),
        Result(f"/book slowest ack in a burst of {burst}", slowest * 1000, "ms", "< 3000 ms, none lost",
               slowest < 3 and burst_ok == burst and lost == 0,
               f"{burst_ok}/{burst} answered 200; {stored}/{expected} bookings stored"),
    ]
