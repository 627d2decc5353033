"""Worker processes whose browsers come from a real Selenium Grid (hub + two nodes on 127.0.0.1).

The bot only queues (``BOOKER_RUN_JOBS=false``); ``python -m booking worker`` processes claim the jobs from
the database and open their browsers through the hub (``BOOKER_REMOTE_WEBDRIVER_URL``), which places each
one on a node. A node SIGKILLed mid-booking takes its browser with it: the job is retried on the other
node and books once, or fails saying the form may already have been sent. The hub SIGKILLed mid-booking:
the job waits on the database queue with its backoff and books once the hub is back. Never lost, never
sent twice. The worker helpers and fixtures are the ones of ``test_workers.py`` (imported, not copied).
"""
from __future__ import annotations

import threading
from typing import Iterator

import pytest

from booking.domain.states import BookingStatus
from booking.workflow.requests import Teammate
from bot.desk import Ask, BookingDesk
from replicas.world import seed_directory
from tests.end_to_end.test_workers import (  # noqa: F401  (fixtures)
    CHANNEL, Workers, desk, now_clock, settled, started_on, ten_startups, worker_env,
)
from tests.grid.grid import SeleniumGrid, require_grid_jar
from tests.helpers import eventually

pytestmark = [pytest.mark.browser, pytest.mark.both_databases]
S = BookingStatus
MAY_HAVE_BEEN_SENT = "the form may already have been sent"


@pytest.fixture(scope="module")
def selenium_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeleniumGrid]:
    require_grid_jar()
    with SeleniumGrid(tmp_path_factory.mktemp("grid"), nodes=2, sessions_per_node=1) as grid:
        yield grid


@pytest.fixture
def grid(selenium_grid: SeleniumGrid) -> SeleniumGrid:
    """The module's Grid with two live, idle nodes again: a hub or a node an earlier test killed is replaced, and
    so is a node still holding a session a killed hub left behind (a node keeps it until its session timeout,
    5 minutes, so the next test's browsers would queue behind it)."""
    if selenium_grid.hub is not None and selenium_grid.hub.poll() is not None:
        selenium_grid.start_hub()  # its address and event bus: the live nodes re-register
    hub_args = [str(a) for a in selenium_grid.hub.args]  # type: ignore[union-attr]
    at = hub_args.index("--publish-events")
    bus = hub_args[at:at + 4]  # --publish-events … --subscribe-events …: the hub's event bus

    def all_live_nodes_up(status: dict) -> bool:  # type: ignore[type-arg]
        return {n["uri"] for n in selenium_grid.nodes_up(status)} == {n.url for n in selenium_grid.nodes if n.alive}

    for _ in range(3):  # replace dead nodes, then any live one still holding an orphaned session
        while len([n for n in selenium_grid.nodes if n.alive]) < selenium_grid.node_count:
            selenium_grid.add_node(selenium_grid.workdir / "node.toml", bus, len(selenium_grid.nodes))
        selenium_grid.wait_for(all_live_nodes_up, "both live nodes up")
        holding = {n["uri"] for n in selenium_grid.nodes_up(selenium_grid.status()) if sessions_on(n)}
        if not holding:
            return selenium_grid
        for node in [n for n in selenium_grid.nodes if n.alive and n.url in holding]:
            selenium_grid.kill_node(node)
            node.process.wait(30)
    raise AssertionError("the Grid's fresh nodes report sessions nobody started")


@pytest.fixture
def grid_workers(slack_settings, slack, tmp_path, grid) -> Iterator[Workers]:  # type: ignore[no-untyped-def]
    """Worker processes that open every browser through the hub, never on this machine directly."""
    env = worker_env(slack_settings, slack.api_url)
    env["BOOKER_REMOTE_WEBDRIVER_URL"] = grid.hub_url
    started = Workers(env, tmp_path)
    yield started
    started.stop_all()


def sessions_on(node: dict) -> list[str]:  # type: ignore[type-arg]
    """The browser sessions a node of /status runs ("reserved": a slot still creating one, not yet a session)."""
    ids = [(slot.get("session") or {}).get("sessionId") for slot in node.get("slots", [])]
    return [i for i in ids if i and i != "reserved"]


class SessionWatch:
    """Samples the hub's /status in a thread: which node ran which sessions (the hub's own view)."""

    def __init__(self, grid: SeleniumGrid) -> None:
        self.grid = grid
        self.seen: dict[str, set[str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                nodes = self.grid.nodes_up(self.grid.status())  # a dead node lingers in /status with its slots
            except (OSError, ValueError, KeyError):
                continue
            for node in nodes:
                for session in sessions_on(node):
                    self.seen.setdefault(node["uri"], set()).add(session)

    def busy_node(self) -> str | None:
        """The node now running a session, if any."""
        return next((str(n["uri"]) for n in self.grid.nodes_up(self.grid.status()) if sessions_on(n)), None)

    def __enter__(self) -> "SessionWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def teammates(slack, count: int) -> list[Teammate]:  # type: ignore[no-untyped-def]
    people = [Teammate(name=f"Teammate {n}", email=f"teammate{n}@axa-innovation.example",
                       timezone="Europe/Helsinki", user_id=f"U30{n}") for n in range(count)]
    for t in people:
        slack.add_user(t.user_id, t.name, t.email, tz="Europe/Helsinki")
    return people


def seed_startups(desk: BookingDesk, site, count: int) -> None:  # type: ignore[no-untyped-def]
    seed_directory(desk.service.db, [
        {"name": f"Startup {n}", "platform": "calendly", "booking_url": site.event_url(f"host-{n}", "intro"),
         "people": [{"name": f"Host {n}", "role": "CEO", "email": f"host{n}@s{n}.example"}]} for n in range(count)])


def test_two_grid_workers_book_six_queued_bookings_once_each_on_both_nodes(desk, grid_workers, grid, slack,
                                                                          now_clock):
    people = teammates(slack, 2)
    with ten_startups(now_clock) as site:
        seed_startups(desk, site, 3)
        asks = [(people[k], f"Startup {n}") for n in range(3) for k in range(2)]
        with SessionWatch(grid) as watch:
            first = [grid_workers.start(), grid_workers.start()]
            answers = [desk.ask(t, Ask(startup=s), CHANNEL, book_anyway=True) for t, s in asks]  # "Book anyway?" yes
            assert [a.kind for a in answers] == ["started"] * 6
            ids = [a.view.id for a in answers]  # type: ignore[union-attr]
            eventually(lambda: all(settled(desk, i, grid_workers) for i in ids), 150, "six bookings to finish")
        finals = [desk.service.get(i) for i in ids]
        assert all(S(f.status).is_booked for f in finals), [(f.id, f.status, f.error_message) for f in finals]
        claims = {i: started_on(desk, i) for i in ids}
        assert all(len(c) == 1 for c in claims.values()), claims  # each job ran exactly once
        assert {int(c[0].split("#")[0].rsplit(":", 1)[1]) for c in claims.values()} <= {p.pid for p in first}
        assert len(site.bookings) == 6
        assert sorted((b["host_slug"], b["email"]) for b in site.bookings) == sorted(
            (f"host-{n}", p.email) for n in range(3) for p in people)  # who booked what, once each
        assert len({f.thread_ref["ts"] for f in finals}) == 6
        threads = [slack.thread(CHANNEL, f.thread_ref["ts"]) for f in finals]
        assert all(any(m["text"].startswith("Submitted") for m in t) for t in threads)  # each in its own thread
    assert set(watch.seen) == {n.url for n in grid.nodes if n.alive}, watch.seen  # the hub used both nodes
    assert sum(len(s) for s in watch.seen.values()) >= 2


def test_a_grid_node_killed_mid_booking_is_retried_on_the_other_node_or_failed_never_twice(desk, grid_workers, grid,
                                                                                          slack, now_clock):
    [person] = teammates(slack, 1)
    with ten_startups(now_clock) as site:
        seed_startups(desk, site, 1)
        grid_workers.start()
        with SessionWatch(grid) as watch:
            asked = desk.ask(person, Ask(startup="Startup 0"), CHANNEL)
            assert asked.kind == "started" and asked.view is not None
            booking_id = asked.view.id

            def reached_slots() -> bool:
                grid_workers.alive()
                return any(e.kind == "step" and (e.data or {}).get("step") == "slots_found"
                           for e in desk.service.events(booking_id))

            eventually(reached_slots, 120, "the worker's browser to reach the page's slots")
            victim = watch.busy_node()
            assert victim is not None, "no node runs the booking's browser by the hub's /status"
            grid.kill_node(next(n for n in grid.nodes if n.url == victim))
            eventually(lambda: settled(desk, booking_id, grid_workers), 150, "the worker to settle the booking")
        final = desk.service.get(booking_id)
        sent = len(site.bookings)
    assert sent <= 1  # never twice
    if S(final.status).is_booked:
        assert sent == 1 and final.retry_count >= 1, final.error_message
        [survivor] = [n.url for n in grid.nodes if n.alive]
        assert survivor in watch.seen, watch.seen  # the retry's browser ran on the other node
    else:
        assert final.status == S.FAILED and MAY_HAVE_BEEN_SENT in (final.error_message or ""), final.error_message
    print(f"node killed after slots_found: {final.status}, retries {final.retry_count}, {sent} sent")


def test_the_grid_hub_killed_mid_booking_the_job_waits_in_the_queue_and_books_once_it_is_back(
        desk, grid_workers, grid, slack, now_clock):
    """The hub is where every browser comes from: killed, the worker's browser is gone and no new one starts, so the
    job goes back on the database queue with its backoff; the hub restarted (its nodes re-register), the next try
    books, once, posting in the booking's thread."""
    [person] = teammates(slack, 1)
    grid_workers.env["BOOKER_RETRY_BACKOFF_SECONDS"] = "15"  # 15, 30, 60 s: the hub (a JVM) is back well within
    with ten_startups(now_clock) as site:
        seed_startups(desk, site, 1)
        worker = grid_workers.start()
        booking_id = desk.ask(person, Ask(startup="Startup 0"), CHANNEL).view.id  # type: ignore[union-attr]

        def reached_slots() -> bool:
            grid_workers.alive()
            return any(e.kind == "step" and (e.data or {}).get("step") == "slots_found"
                       for e in desk.service.events(booking_id))

        eventually(reached_slots, 120, "the worker's browser to reach the page's slots")
        grid.kill_hub()
        eventually(lambda: desk.service.get(booking_id).retry_count >= 1, 60, "the job to go back on the queue")
        assert S(desk.service.get(booking_id).status) == S.PENDING and site.bookings == []  # waiting, not lost
        grid.start_hub()
        grid.wait_for(lambda status: len(grid.nodes_up(status)) == 2, "the nodes to re-register with the new hub")
        eventually(lambda: settled(desk, booking_id, grid_workers), 150, "the worker to settle the booking")
        final = desk.service.get(booking_id)
        texts = [m["text"] for m in slack.thread(CHANNEL, final.thread_ref["ts"])]
        assert S(final.status).is_booked, (final.error_message, texts)
        assert len(site.bookings) == 1  # sent once
        runs = started_on(desk, booking_id)
        assert len(runs) == final.retry_count + 1 >= 2 and {int(r.split("#")[0].rsplit(":", 1)[1]) for r in runs} == {
            worker.pid}
        assert "Hit a problem, retrying (1/3): The browser stopped unexpectedly (its driver is gone)" in texts
    print(f"hub killed after slots_found: {final.status} after {final.retry_count} retries; thread: {texts}")
