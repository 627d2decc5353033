"""Booking jobs from the database, run by worker processes: the bot only acks, posts and queues.

Real processes (``python -m booking worker --jobs 1``), a real browser, the Calendly replica and the Slack
fake; the bot side is this test's service built with ``BOOKER_RUN_JOBS=false``. Workers run on the real
clock, so the test's clock is set to now and the replica is built on it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.wiring import build_service
from booking.store.leases import Lease
from booking.workflow.requests import Teammate
from bot.client import make_client
from bot.desk import Ask, BookingDesk
from bot.notifier import slack_notifiers
from replicas.builds import replica_class
from replicas.calendly import CalendlyEventType, CalendlyHost, CalendlyReplica
from replicas.world import build_calendly, directory_entries, seed_directory, working_slots
from tests.hardening.worlds import processes_tagged_by
from tests.helpers import eventually

pytestmark = [pytest.mark.browser, pytest.mark.both_databases]
S = BookingStatus
CHANNEL = "C123"
STARTED = "Browser job started on "


def worker_env(settings, slack_url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A worker's environment: of Slack only the bot token (it posts, it serves no Slack requests)."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")
           and k not in ("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "BOOKER_NOTIFIER")}
    env.update({"DATABASE_URL": settings.database_url, "BOOKER_SCREENSHOT_DIR": str(settings.screenshot_dir),
                "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "10", "BOOKER_PAGE_LOAD_TIMEOUT": "10",
                "BOOKER_RETRY_BACKOFF_SECONDS": "0", "BOOKER_CHECK_INTERVAL_SECONDS": "1",
                "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": slack_url})
    return env


class Workers:
    """Worker processes this test started (each in its own process group), stopped at the end."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def alive(self) -> bool:
        """Fail now, with its log, if a worker that wasn't killed by the test stopped."""
        for n, process in enumerate(self.started):
            if process.poll() not in (None, -signal.SIGKILL):
                raise AssertionError((self.folder / f"worker-{n}.log").read_text(errors="replace")[-3000:])
        return True

    def start(self, jobs: int = 1) -> subprocess.Popen[bytes]:
        log = (self.folder / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "booking", "worker", "--jobs", str(jobs)], env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def log(self, n: int) -> str:
        """What worker ``n`` printed so far (stdout and stderr)."""
        return (self.folder / f"worker-{n}.log").read_text(errors="replace")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill(process)


@pytest.fixture
def now_clock(clock):  # type: ignore[no-untyped-def]
    clock.now = datetime.now(timezone.utc)
    return clock


@pytest.fixture
def desk(slack_settings, now_clock, slack) -> Iterator[BookingDesk]:  # type: ignore[no-untyped-def]
    """The bot's side with BOOKER_RUN_JOBS=false: it posts and queues, it never opens a browser."""
    client = make_client(slack_settings)
    service = build_service(replace(slack_settings, run_jobs=False), notifiers=slack_notifiers(client),
                            clock=now_clock, browsers=object())  # type: ignore[arg-type]
    yield BookingDesk(service, client)
    service.runner.shutdown()
    service.db.dispose()


@pytest.fixture
def workers(slack_settings, slack, tmp_path) -> Iterator[Workers]:  # type: ignore[no-untyped-def]
    started = Workers(worker_env(slack_settings, slack.api_url), tmp_path)
    yield started
    started.stop_all()


def started_on(desk: BookingDesk, booking_id: int) -> list[str]:
    """Which processes (host:pid#nonce) claimed the booking's job, in order."""
    return [e.detail[len(STARTED):] for e in desk.service.events(booking_id) if e.detail.startswith(STARTED)]


def pid_of(claim: str) -> int:
    return int(claim.split("#", 1)[0].rsplit(":", 1)[1])


def settled(desk: BookingDesk, booking_id: int, workers: Workers) -> bool:
    final = (S.CONFIRMED, S.ADDED_TO_CALENDAR, S.PENDING_CONFIRMATION, S.FAILED)
    return workers.alive() and S(desk.service.get(booking_id).status) in final


def test_a_worker_process_runs_the_booking_the_bot_only_queued(desk, workers, slack, now_clock):
    """The worker has only SLACK_BOT_TOKEN of Slack's settings (worker_env): enough to post in the thread."""
    with build_calendly(now=now_clock) as site:
        seed_directory(desk.service.db, directory_entries(site))
        assert "SLACK_SIGNING_SECRET" not in workers.env and "SLACK_APP_TOKEN" not in workers.env
        worker = workers.start()
        teammate = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example",
                            timezone="Europe/Helsinki", user_id="U123")
        asked = desk.ask(teammate, Ask(startup="Acme"), CHANNEL)
        assert asked.kind == "started" and asked.view is not None
        booking_id = asked.view.id
        eventually(lambda: settled(desk, booking_id, workers), 150, "the worker to finish the booking")
        final = desk.service.get(booking_id)
        assert S(final.status).is_booked, final.error_message
        assert [pid_of(c) for c in started_on(desk, booking_id)] == [worker.pid]  # run there, once
        assert desk.service.runner.pending == 0  # the bot ran nothing
        assert len(site.bookings) == 1
        [parent] = slack.messages(CHANNEL)  # posted by the bot when it queued the booking
        replies = slack.thread(CHANNEL, parent["ts"])  # posted by the worker, into the row's thread
        assert "Submitted" in [m["text"].split(" ")[0] for m in replies]
        eventually(lambda: slack.message(CHANNEL, parent["ts"])["text"].startswith("✓ Booked Acme Robotics"), 30,
                   "the worker to update the bot's parent message")
    assert "progress posted to Slack with SLACK_BOT_TOKEN" in workers.log(0)


def test_a_worker_with_no_bot_token_books_and_says_why_the_thread_stays_quiet(desk, workers, slack, now_clock):
    """No SLACK_BOT_TOKEN: the worker still books, prints the progress as the CLI does, and says once per
    booking asked in Slack that its thread gets nothing, naming the setting."""
    del workers.env["SLACK_BOT_TOKEN"]
    with build_calendly(now=now_clock) as site:
        seed_directory(desk.service.db, directory_entries(site))
        workers.start()
        teammate = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example",
                            timezone="Europe/Helsinki", user_id="U123")
        booking_id = desk.ask(teammate, Ask(startup="Acme"), CHANNEL).view.id  # type: ignore[union-attr]
        eventually(lambda: settled(desk, booking_id, workers), 150, "the worker to finish the booking")
        assert S(desk.service.get(booking_id).status).is_booked
        [parent] = slack.messages(CHANNEL)  # the bot's, when it queued
        assert slack.thread(CHANNEL, parent["ts"]) == []  # nothing from the worker
        log = workers.log(0)
    assert "progress printed here (no SLACK_BOT_TOKEN: nothing is posted to Slack)" in log
    assert f"[#{booking_id}] ✓ Booked Acme Robotics" in log  # the progress, on the worker's console
    warning = (f"booking {booking_id} was asked in Slack, but this worker has no SLACK_BOT_TOKEN: its progress is "
               "printed here, not posted in its thread; give the worker the bot's token (xoxb-…)")
    assert log.count(warning) == 1 and "Traceback" not in log


def test_a_worker_given_a_token_that_is_not_the_bots_stops_at_start_in_one_line(workers):
    """A signing secret or app token pasted as SLACK_BOT_TOKEN would fail every post later: it is refused now."""
    workers.env["SLACK_BOT_TOKEN"] = "xapp-1-an-app-level-token"
    worker = workers.start()
    assert worker.wait(60) == 2
    printed = [line for line in workers.log(0).splitlines() if line.strip()]
    assert printed == ["error: SLACK_BOT_TOKEN must be the bot's token (xoxb-…) for a worker to post in Slack"], printed


def test_a_worker_killed_mid_booking_is_recovered_by_another_worker(desk, workers, slack, now_clock, settings):
    with build_calendly(now=now_clock) as site:
        seed_directory(desk.service.db, directory_entries(site))
        # The test holds the monitor's lease, so the victim can't: recovery then doesn't wait for a lapse.
        lease = Lease(desk.service.db, "confirmation-monitor", "the-test", timedelta(minutes=10), now_clock)
        assert lease.acquire()
        site.hang(urlsplit(directory_entries(site)[0]["booking_url"]).path + ".*")  # the page never loads
        victim = workers.start()
        teammate = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example",
                            timezone="Europe/Helsinki", user_id="U123")
        booking_id = desk.ask(teammate, Ask(startup="Acme"), CHANNEL).view.id  # type: ignore[union-attr]
        eventually(lambda: started_on(desk, booking_id), 60, "the victim to claim the booking")
        workers.kill(victim)
        assert desk.service.get(booking_id).status == S.BOOKING_IN_PROGRESS  # what the dead worker left
        site.hang(None)
        lease.release()  # now the survivor's first monitor cycle takes it and finds the dead claim
        survivor = workers.start()
        eventually(lambda: settled(desk, booking_id, workers), 150, "the survivor to finish the booking")
        final = desk.service.get(booking_id)
        assert S(final.status).is_booked and final.retry_count == 1, final.error_message
        assert [pid_of(c) for c in started_on(desk, booking_id)] == [victim.pid, survivor.pid]
        assert len(site.bookings) == 1  # sent once
        [parent] = slack.messages(CHANNEL)
        texts = [m["text"] for m in slack.thread(CHANNEL, parent["ts"])]
        assert any("stopped unexpectedly" in text for text in texts), texts
        eventually(lambda: processes_tagged_by(victim.pid) == [], 30, "the dead worker's browser to be swept")


def ten_startups(clock) -> CalendlyReplica:  # type: ignore[no-untyped-def]
    """Ten startups on one Calendly replica, one host each, free on the same half hours."""
    today = clock()
    hosts = [CalendlyHost(f"host-{n}", f"Host {n}", f"host{n}@s{n}.example",
                          [CalendlyEventType(slug="intro", title=f"Intro with Startup {n}")], working_slots(today))
             for n in range(10)]
    return replica_class("calendly", "first", CalendlyReplica)(hosts, [], now=clock)


def test_two_workers_run_twenty_bookings_of_ten_startups_by_four_teammates_once_each(desk, workers, slack, now_clock):
    """Every booking runs exactly once, the colleague rule is decided once per startup although all
    twenty ask at the same moment, no teammate holds overlapping slots, each job posts in its own thread."""
    teammates = [Teammate(name=f"Teammate {n}", email=f"teammate{n}@axa-innovation.example",
                          timezone="Europe/Helsinki", user_id=f"U20{n}") for n in range(4)]
    for t in teammates:
        slack.add_user(t.user_id, t.name, t.email, tz="Europe/Helsinki")
    with ten_startups(now_clock) as site:
        seed_directory(desk.service.db, [
            {"name": f"Startup {n}", "platform": "calendly", "booking_url": site.event_url(f"host-{n}", "intro"),
             "people": [{"name": f"Host {n}", "role": "CEO", "email": f"host{n}@s{n}.example"}]} for n in range(10)])
        asks = [(teammates[(n + k) % 4], f"Startup {n}") for n in range(10) for k in range(2)]
        first = [workers.start(), workers.start()]
        with ThreadPoolExecutor(max_workers=20) as pool:  # all twenty at once, as twenty /book commands
            answers = list(pool.map(lambda a: desk.ask(a[0], Ask(startup=a[1]), CHANNEL), asks))
        kinds = {startup: sorted(x.kind for (t, s), x in zip(asks, answers) if s == startup) for _, startup in asks}
        assert all(k == ["colleagues", "started"] for k in kinds.values()), kinds  # decided once per startup
        anyway = [desk.ask(t, Ask(startup=s), CHANNEL, book_anyway=True)  # "Book anyway?" → yes
                  for (t, s), x in zip(asks, answers) if x.kind == "colleagues"]
        ids = sorted(x.view.id for x in answers + anyway if x.kind == "started")  # type: ignore[union-attr]
        assert len(ids) == 20
        eventually(lambda: all(settled(desk, i, workers) for i in ids), 170, "twenty bookings to finish")
        finals = [desk.service.get(i) for i in ids]
        assert all(S(f.status).is_booked for f in finals), [(f.id, f.status, f.error_message, f.retry_count)
                                                           for f in finals if not S(f.status).is_booked]
        claims = {i: started_on(desk, i) for i in ids}
        assert all(len(c) == 1 for c in claims.values()), claims  # each job ran exactly once
        assert {pid_of(c[0]) for c in claims.values()} == {p.pid for p in first}  # both workers took jobs
        assert len(site.bookings) == 20
        by_host: dict[str, list[str]] = {}
        for booked in site.bookings:
            by_host.setdefault(booked["host_slug"], []).append(str(booked["start_time"]))
        assert all(len(set(times)) == 2 for times in by_host.values()), by_host  # the page's slot isn't sold twice
        for teammate in teammates:
            mine = sorted(f.proposed_slots[0] for f in finals if f.user_email == teammate.email)
            assert len(mine) == sum(t.email == teammate.email for t, _ in asks)
            assert all(b - a >= timedelta(minutes=30) for a, b in zip(mine, mine[1:])), mine  # no overlaps
        assert len({f.thread_ref["ts"] for f in finals}) == 20
        threads = [slack.thread(CHANNEL, f.thread_ref["ts"]) for f in finals]
        assert all(any(m["text"].startswith("Submitted") for m in t) for t in threads)  # each in its own thread


def test_a_worker_killed_when_the_form_may_have_gone_is_failed_not_sent_twice(desk, workers, slack, now_clock):
    """Killed right after filling the form, the booking may exist on the page: the survivor fails it and says
    so; it never sends the form a second time."""
    with build_calendly(now=now_clock) as site:
        seed_directory(desk.service.db, directory_entries(site))
        lease = Lease(desk.service.db, "confirmation-monitor", "the-test", timedelta(minutes=10), now_clock)
        assert lease.acquire()
        victim = workers.start()
        teammate = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example",
                            timezone="Europe/Helsinki", user_id="U123")
        booking_id = desk.ask(teammate, Ask(startup="Acme"), CHANNEL).view.id  # type: ignore[union-attr]

        def form_filled() -> bool:
            workers.alive()
            return any(e.kind == "step" and (e.data or {}).get("step") == "form_filled"
                       for e in desk.service.events(booking_id))

        eventually(form_filled, 120, "the victim to fill the form")
        workers.kill(victim)
        lease.release()
        survivor = workers.start()
        eventually(lambda: settled(desk, booking_id, workers), 120, "the survivor to settle the booking")
        final = desk.service.get(booking_id)
        claims = started_on(desk, booking_id)
        assert [pid_of(c) for c in claims] == [victim.pid]  # never run again
        if final.status == S.FAILED:
            assert "the form may already have been sent; check the startup's page" in (final.error_message or "")
        else:  # the kill came after the job had recorded the submit: nothing to recover
            assert S(final.status).is_booked and len(site.bookings) == 1
        assert len(site.bookings) <= 1  # sent at most once, by the victim
        print(f"killed after form_filled: {final.status}, {len(site.bookings)} sent")
        assert survivor.poll() is None
