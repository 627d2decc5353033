"""The Google world: the loopback Google fake, key files, a retry policy that never really sleeps,
and a booking service whose teammate calendar is the real Google client pointed at the fake."""
from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Iterator

import pytest

TEAMMATE_EMAIL = "eduardo.paz@axa-innovation.example"


class FakeTimer:
    """Injected into RetryPolicy: ``sleep`` records and moves the monotonic clock, never waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


class RecordingNotifier:
    """A Notifier that keeps what the teammate would have seen."""

    def __init__(self) -> None:
        self.direct_messages: list[tuple[int, str]] = []
        self.steps: list[tuple[int, str]] = []
        self.updates: list[Any] = []

    def queued(self, booking):  # type: ignore[no-untyped-def]
        return {}

    def step(self, booking, text, screenshot=None):  # type: ignore[no-untyped-def]
        self.steps.append((booking.id, text))

    def updated(self, booking):  # type: ignore[no-untyped-def]
        self.updates.append(booking)

    def direct(self, booking, text):  # type: ignore[no-untyped-def]
        self.direct_messages.append((booking.id, text))

    def dms(self, booking_id: int) -> list[str]:
        return [text for bid, text in self.direct_messages if bid == booking_id]


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request that would leave the machine (e.g. to oauth2.googleapis.com) fails at once and loudly."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise OSError(f"test tried to reach {host}: tests stay on loopback")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def google(clock) -> Iterator["GoogleFake"]:
    from replicas.google_api import GoogleFake

    with GoogleFake(now=clock) as fake:
        fake.add_user(TEAMMATE_EMAIL, "Europe/Helsinki")
        yield fake
        assert fake.problems == [], "a request broke the discovery contract"


@pytest.fixture
def key_file(google, tmp_path: Path) -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(google.service_account_key()))
    return path


@pytest.fixture
def timer() -> FakeTimer:
    return FakeTimer()


@pytest.fixture
def retry(timer: FakeTimer):
    from calendar_sync import RetryPolicy

    return RetryPolicy(sleep=timer.sleep, monotonic=timer.monotonic)


@pytest.fixture
def workspace(google, key_file, retry):
    from calendar_sync import GoogleAuthConfig, GoogleConfig, GoogleWorkspace

    return GoogleWorkspace(GoogleConfig(GoogleAuthConfig(key_file), calendar_endpoint=google.calendar_endpoint,
                                        gmail_endpoint=google.gmail_endpoint), retry=retry)


@pytest.fixture
def google_settings(settings, google, key_file):
    return settings.with_overrides(google_credentials_file=key_file, google_calendar_api_url=google.calendar_endpoint,
                                   google_gmail_api_url=google.gmail_endpoint)


@pytest.fixture
def google_calendar(google_settings, retry):
    from booking.confirmations.teammate_calendar import GoogleCalendar

    return GoogleCalendar.from_settings(google_settings, retry=retry)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def google_service(db, google_settings, browsers, clock, google_calendar, notifier):
    """The booking service with Google Calendar (through the fake) and a recording notifier."""
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService

    runner = JobRunner(google_settings.max_browsers)
    yield BookingService(db, google_settings, browsers, runner, clock=clock, notifiers=lambda view: notifier,
                         availability=google_calendar)
    runner.shutdown()
