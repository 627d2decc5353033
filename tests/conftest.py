"""Fixtures that make the world: a database, settings, a clock, the Slack fake, replica sites."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from booking.config.settings import Settings
from booking.store.db import Database, open_database

HELSINKI = ZoneInfo("Europe/Helsinki")
# Tests run "at Slush": Monday 1 Dec 2026, 08:00 UTC. Replicas and the service share this clock.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")
# Inherited by every process this run starts (bot children, chromedriver, Chromium): the leftover
# check below finds this run's browsers by it, not another run's on the same machine.
TEST_RUN = os.environ.setdefault("BOOKER_TEST_RUN", f"{os.getpid()}-{os.urandom(4).hex()}")
BROWSER_NAMES = ("chromium", "chrome", "chromedriver", "headless_shell")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack-sdk ignores NO_PROXY, so a proxy in CI would swallow loopback calls."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


class FakeClock:
    """A clock tests move forward instead of sleeping."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_databases`` run on SQLite and on PostgreSQL."""
    if "db_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_databases"):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"])


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@pytest.fixture
def database_url(db_backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, or a new PostgreSQL database."""
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'booker.db'}"
        return
    admin_url = os.environ.get("BOOKER_TEST_POSTGRES_URL")
    if not admin_url:
        if os.environ.get("BOOKER_REQUIRE_POSTGRES") == "1":
            pytest.fail("BOOKER_REQUIRE_POSTGRES=1 but BOOKER_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set BOOKER_TEST_POSTGRES_URL, see .ci/postgres)")
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"booker_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings for one test: its own database and screenshot folder, loopback allowed."""
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "BOOKER_SCREENSHOT_DIR": str(tmp_path / "screenshots"),
            "BOOKER_ALLOWED_HOSTS": "127.0.0.1",
            "BOOKER_STEP_TIMEOUT": "10",  # generous: CI machines are slow and shared
            "BOOKER_PAGE_LOAD_TIMEOUT": "10",
            "BOOKER_MAX_BROWSERS": "2",
            "BOOKER_LEAD_TIME_MINUTES": "60",
            "BOOKER_RETRY_BACKOFF_SECONDS": "0",
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": "test-signing-secret",
        },
        env_file=tmp_path / "absent.env",
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings.database_url)
    yield database
    database.dispose()


# -- the booking world: replica site, browser, service -------------------------------------------------

@pytest.fixture
def calendly(clock: FakeClock) -> Iterator["CalendlyReplica"]:
    from replicas.world import build_calendly

    with build_calendly(now=clock) as site:
        yield site


@pytest.fixture
def browsers(settings: Settings) -> Iterator["ChromeFactory"]:
    from booking.browser.chrome import ChromeFactory

    factory = ChromeFactory(settings)
    yield factory
    assert factory.live_sessions == 0, "a browser was left running"


@pytest.fixture
def service(db: Database, settings: Settings, browsers, clock: FakeClock) -> Iterator["BookingService"]:
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService

    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock)
    runner.shutdown()


@pytest.fixture
def directory(db: Database, calendly) -> list[dict]:
    from replicas.world import directory_entries, seed_directory

    entries = directory_entries(calendly)
    seed_directory(db, entries)
    return entries


@pytest.fixture
def teammate():
    from booking.workflow.requests import Teammate

    return Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example", timezone="Europe/Helsinki",
                    user_id="U123")


# -- Slack ----------------------------------------------------------------------------------------------

@pytest.fixture
def slack() -> Iterator["SlackFake"]:
    from replicas.slack_api import SlackFake

    with SlackFake(bot_token="xoxb-test-token") as fake:
        fake.add_user("U123", "Eduardo Paz", "eduardo.paz@axa-innovation.example", tz="Europe/Helsinki")
        yield fake


@pytest.fixture
def slack_settings(settings: Settings, slack) -> Settings:
    return settings.with_overrides(slack_api_url=slack.api_url)


@pytest.fixture
def bot(slack_settings: Settings, db: Database, browsers, clock: FakeClock):
    """The real Bolt app over the real service, its WebClient pointed at the Slack fake."""
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService
    from bot.app import build_app
    from bot.client import make_client
    from bot.notifier import slack_notifiers

    client = make_client(slack_settings)
    runner = JobRunner(slack_settings.max_browsers)
    service = BookingService(db, slack_settings, browsers, runner, clock=clock, notifiers=slack_notifiers(client))
    app = build_app(slack_settings, service, client=client)
    yield app, service
    runner.shutdown()


@pytest.fixture(scope="session", autouse=True)
def _no_browser_left_behind() -> Iterator[None]:
    """In CI (BOOKER_CHECK_LEFTOVER_BROWSERS=1) the suite must end with every browser it started quit."""
    yield
    if os.environ.get("BOOKER_CHECK_LEFTOVER_BROWSERS") != "1":
        return
    import psutil

    leftovers = []
    for process in psutil.process_iter(["name"]):
        try:
            if (process.info["name"] or "").lower().startswith(BROWSER_NAMES) and \
                    process.environ().get("BOOKER_TEST_RUN") == TEST_RUN and process.status() != psutil.STATUS_ZOMBIE:
                leftovers.append(f"{process.pid} {process.info['name']}")
        except psutil.Error:
            continue
    assert not leftovers, f"browsers left running after the suite: {leftovers[:5]}"
