"""Slush matchmaking (Brella-style) through the service, and its status re-check, against the replica."""
from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.config.credentials import CredentialsError, CredentialStore, mask
from booking.config.settings import Settings
from booking.domain.states import BookingStatus
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.platforms.base import Invitee
from booking.platforms.registry import PlatformContext, detect_platform
from booking.platforms.slush import SlushMatchmaking
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.slush import DEMO_LOGIN, DEMO_PASSWORD, build_slush

SHARED = SlushMatchmaking.shared_login_settings  # the team account the platform names (BOOKER_SLUSH_LOGIN/_PASSWORD)

HEL = ZoneInfo("Europe/Helsinki")
TOMORROW = datetime(2026, 12, 2, tzinfo=HEL)


def mail_into(mailbox: InMemoryMailbox):
    """The replica's mail sink delivering into the booking side's in-memory mailbox."""
    return lambda sent: mailbox.deliver(MailMessage(sent.sender, sent.to, sent.subject, sent.body, sent.sent_at))


@pytest.fixture
def mailbox() -> InMemoryMailbox:
    return InMemoryMailbox()


@pytest.fixture
def slush(clock, mailbox, build):
    """The event app, on both builds (``build``: the first replica, or the blind one)."""
    with build_slush(now=clock, mail_sink=mail_into(mailbox), build=build) as site:
        yield site


@pytest.fixture
def slush_settings(settings: Settings) -> Settings:
    return settings.with_overrides(slush_login=DEMO_LOGIN, slush_password=DEMO_PASSWORD)


@pytest.fixture
def slush_service(db, slush_settings, browsers, clock):
    from booking.runtime.runner import JobRunner

    runner = JobRunner(slush_settings.max_browsers)
    yield BookingService(db, slush_settings, browsers, runner, clock=clock)
    runner.shutdown()


def seed_acme(db, slush, people=("Bob Jones", "Alice Smith"), url=None):
    from replicas.world import seed_directory

    seed_directory(db, [{"name": "Acme Robotics", "aliases": ["acme"], "platform": "slush_platform",
                         "booking_url": url or slush.people_url(), "people": [{"name": n} for n in people]}])


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(120)
    return service.get(view.id)


@pytest.mark.browser
def test_request_goes_to_the_configured_person_at_the_first_free_slot_and_stays_pending(
        slush_service, slush, db, teammate, caplog):
    """Bob (first in the config) gets a request for his first free 15 minutes with the intro message."""
    caplog.set_level(logging.DEBUG)
    seed_acme(db, slush)
    final = book(slush_service, teammate, startup="acme")

    assert final.status == BookingStatus.PENDING_CONFIRMATION, final.error_message
    [meeting] = slush.meetings.values()
    assert slush.attendees[meeting.attendee_id].name == "Bob Jones"
    assert meeting.start == TOMORROW.replace(hour=14, minute=15)  # 14:00 is not offered
    assert meeting.status == "pending" and meeting.sender_login == DEMO_LOGIN
    assert meeting.message == final.message_sent
    assert meeting.message.startswith("Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation.")
    assert "Wed 2 Dec, 14:30 (Europe/Helsinki) would work for me too" in meeting.message
    assert final.external_booking_id == meeting.id
    assert (final.person_name, final.slot_duration_minutes) == ("Bob Jones", 15)
    assert final.proposed_slots == (meeting.start, meeting.start + timedelta(minutes=15))
    assert slush.accounts[DEMO_LOGIN].quota == 2

    steps = [e.detail for e in slush_service.events(final.id) if e.kind == "step"]
    assert any("Meeting requests remaining on Slush matchmaking: 3" in s for s in steps)
    assert any("it stays pending until they accept (2 requests remaining)" in s for s in steps)
    names = [Path(p).name for p in final.screenshots]
    assert names[0] == "01_page_loaded.png" and "sign_in" not in " ".join(names)
    every_text = " ".join(steps) + caplog.text + str(final)
    assert DEMO_PASSWORD not in every_text


@pytest.mark.browser
def test_blind_build_without_platform_hooks_is_booked_by_what_a_person_sees(slush_service, db, teammate, clock,
                                                                           mailbox):
    """The blind build with no data-* hooks at all: sign-in, People, slots, message and the sent
    request are all found by role, name, label and text."""
    with build_slush(now=clock, mail_sink=mail_into(mailbox), build="blind", platform_hooks=False) as site:
        seed_acme(db, site)
        final = book(slush_service, teammate, startup="acme")
        [meeting] = site.meetings.values()
    assert final.status == BookingStatus.PENDING_CONFIRMATION, final.error_message
    assert (site.attendees[meeting.attendee_id].name, meeting.start) == ("Bob Jones", TOMORROW.replace(hour=14, minute=15))
    assert meeting.message == final.message_sent and final.external_booking_id == meeting.id
    assert (final.person_name, meeting.status) == ("Bob Jones", "pending")


@pytest.mark.browser
def test_a_profile_link_books_that_person_without_searching(slush_service, slush, db, teammate):
    seed_acme(db, slush, people=(), url=slush.people_url("a-1001"))
    final = book(slush_service, teammate, startup="acme")
    assert final.status == BookingStatus.PENDING_CONFIRMATION, final.error_message
    [meeting] = slush.meetings.values()
    assert (meeting.attendee_id, meeting.start) == ("a-1001", TOMORROW.replace(hour=10))


@pytest.mark.browser
def test_configured_people_are_searched_by_name_when_the_listing_names_the_company_differently(
        slush_service, slush, db, teammate):
    from replicas.world import seed_directory

    seed_directory(db, [
        {"name": "ACME Oy", "platform": "slush_platform", "booking_url": slush.people_url(),
         "people": [{"name": "Zoe Gone"}, {"name": "Alice Smith"}]},
        {"name": "Nobody Ltd", "platform": "slush_platform", "booking_url": slush.people_url(), "people": []},
    ])
    final = book(slush_service, teammate, startup="ACME Oy")
    assert (final.status, final.person_name) == (BookingStatus.PENDING_CONFIRMATION, "Alice Smith")
    assert [m.attendee_id for m in slush.meetings.values()] == ["a-1001"]  # not Alice Smithson

    unknown = book(slush_service, teammate, startup="Nobody Ltd")
    assert unknown.status == BookingStatus.FAILED
    assert "needs to know whom to meet: add the startup's people" in unknown.error_message


@pytest.mark.browser
def test_no_requests_remaining_fails_before_sending(slush_service, slush, db, teammate):
    slush.accounts[DEMO_LOGIN].quota = 0
    seed_acme(db, slush)
    final = book(slush_service, teammate, startup="acme")
    assert final.status == BookingStatus.FAILED
    assert "no meeting requests remaining (0)" in final.error_message
    assert slush.meetings == {}


@pytest.mark.browser
def test_refused_sign_in_shows_the_login_masked_and_never_the_password(db, settings, browsers, clock, slush,
                                                                        teammate, tmp_path, caplog):
    """Per-teammate credentials from the secrets file; a wrong password fails with a masked login."""
    from booking.runtime.runner import JobRunner

    caplog.set_level(logging.DEBUG)
    secrets_file = tmp_path / "secrets.yaml"
    secrets_file.write_text(f"slush_platform:\n  {teammate.email}: {{login: {DEMO_LOGIN}, password: wrong-one}}\n")
    os.chmod(secrets_file, 0o600)
    runner = JobRunner(1)
    service = BookingService(db, settings.with_overrides(credentials_file=secrets_file), browsers, runner, clock=clock)
    seed_acme(db, slush)
    try:
        final = book(service, teammate, startup="acme")
    finally:
        runner.shutdown()
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith(f"Slush matchmaking refused the sign-in for {mask(DEMO_LOGIN)}")
    assert "Invalid login credentials" in final.error_message
    assert "wrong-one" not in final.error_message and DEMO_LOGIN not in final.error_message
    assert Path(final.screenshots[-1]).name.endswith("_failure.png")
    assert slush.sign_ins == [] and slush.meetings == {}
    assert "wrong-one" not in caplog.text


@pytest.mark.browser
def test_missing_credentials_say_what_to_configure(slush_service, slush, db, teammate, settings, browsers, clock):
    from booking.runtime.runner import JobRunner

    runner = JobRunner(1)
    service = BookingService(db, settings, browsers, runner, clock=clock)  # no shared login, no file
    seed_acme(db, slush)
    try:
        final = book(service, teammate, startup="acme")
    finally:
        runner.shutdown()
    assert final.status == BookingStatus.FAILED
    assert "no Slush matchmaking sign-in for eduardo.paz@" in final.error_message
    assert "BOOKER_CREDENTIALS_FILE" in final.error_message


# -- the status re-check the confirmation monitor calls ----------------------------------------------

def checker(page, settings):
    platform = SlushMatchmaking(page)
    platform.configure(PlatformContext(
        invitee=Invitee("Eduardo Paz", DEMO_LOGIN, "AXA Innovation", "Venture Client Team", "Europe/Helsinki"),
        credentials=lambda name: CredentialStore(settings).for_teammate(name, DEMO_LOGIN, SHARED), settings=settings))
    return platform


@pytest.mark.browser
def test_status_check_sees_pending_then_accepted_with_the_table_number(slush, slush_settings, browsers, mailbox):
    meeting = slush.request_meeting(DEMO_LOGIN, "a-1001", TOMORROW.replace(hour=10, minute=30), "Hello Alice")
    with browsers.session("status-check") as page:
        page.set_timezone("Europe/Helsinki")
        platform = checker(page, slush_settings)
        pending = platform.check_status(slush.people_url(), meeting.id)
        assert (pending.state, pending.start, pending.location) == ("pending", meeting.start, None)

        slush.accept(meeting.id)
        accepted = platform.check_status(slush.people_url(), meeting.id)
    assert accepted.state == "accepted" and accepted.location == "Table 1"
    assert accepted.start == TOMORROW.replace(hour=10, minute=30)
    [mail] = mailbox.all
    assert mail.to == DEMO_LOGIN and "Alice Smith accepted your meeting request" in mail.subject
    assert "Table 1" in mail.body


@pytest.mark.browser
def test_status_check_sees_decline_and_reschedule_and_answers_the_new_time(slush, slush_settings, browsers, mailbox):
    declined = slush.request_meeting(DEMO_LOGIN, "a-1001", TOMORROW.replace(hour=10), "Hi")
    moved = slush.request_meeting(DEMO_LOGIN, "a-1002", TOMORROW.replace(hour=14, minute=30), "Hi Bob")
    slush.decline(declined.id)
    new_time = TOMORROW.replace(hour=15, minute=15)
    slush.reschedule(moved.id, new_time)
    with browsers.session("status-check") as page:
        page.set_timezone("Europe/Helsinki")
        platform = checker(page, slush_settings)
        assert platform.check_status(slush.people_url(), declined.id).state == "declined"
        rescheduled = platform.check_status(slush.people_url(), moved.id)
        assert (rescheduled.state, rescheduled.start) == ("rescheduled", new_time)

        after = platform.respond_to_reschedule(slush.people_url(), moved.id, accept=True)
    assert (after.state, after.start, after.location) == ("accepted", new_time, "Table 1")
    assert slush.meetings[moved.id].status == "accepted"
    assert slush.accounts[DEMO_LOGIN].quota == 2  # 3, two requests, the declined one came back
    subjects = [m.subject for m in mailbox.all]
    assert any("declined your meeting request" in s for s in subjects)
    assert any("suggested a new time" in s for s in subjects)


# -- detection and credentials (no browser) -------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://next.brella.io/events/slush2026/people", "https://next.brella.io/events/slush2026/people?profile=42",
    "https://brella.io/events/slush2026/home", "https://raisesummit.brella.io/events/raise25/people",
    "https://next.brella.io/join/SLUSH26",
])
def test_registry_detects_brella_urls(url):
    assert detect_platform(url) is SlushMatchmaking


@pytest.mark.parametrize("url", [
    "https://brella.io.evil.example/events/x", "https://notbrella.io/events/x", "https://api.brella.io/events/x",
    "https://next.brella.io/", "https://evil.example/next.brella.io/events/x",
])
def test_registry_rejects_brella_look_alikes(url):
    assert detect_platform(url) is None


def test_the_event_apps_own_host_comes_from_settings(settings):
    configured = settings.with_overrides(slush_hosts=("app.slush.example", "127.0.0.1:8123"))
    assert detect_platform("https://app.slush.example/events/slush2026/people", configured) is SlushMatchmaking
    assert detect_platform("http://127.0.0.1:8123/events/s/people", configured) is SlushMatchmaking
    assert detect_platform("http://127.0.0.1:9999/events/s/people", configured) is None
    assert detect_platform("https://app.slush.example/events/slush2026/people") is None


def test_settings_keep_the_password_out_of_their_repr(tmp_path):
    settings = Settings.from_env({"BOOKER_SLUSH_LOGIN": "a@b.example", "BOOKER_SLUSH_PASSWORD": "hunter2",
                                  "BOOKER_SLUSH_HOSTS": "App.Slush.example"}, env_file=tmp_path / "none")
    assert "hunter2" not in repr(settings) and settings.slush_hosts == ("app.slush.example",)
    assert "hunter2" not in repr(CredentialStore(settings).for_teammate("slush_platform", "x@y.example", SHARED))


def test_login_without_password_is_a_settings_error(tmp_path):
    from booking.config.settings import SettingsError

    with pytest.raises(SettingsError, match="BOOKER_SLUSH_LOGIN and BOOKER_SLUSH_PASSWORD"):
        Settings.from_env({"BOOKER_SLUSH_LOGIN": "a@b.example"}, env_file=tmp_path / "none")


def test_credentials_file_must_be_private_and_wins_over_the_shared_account(tmp_path, settings):
    path = tmp_path / "secrets.yaml"
    path.write_text("slush_platform:\n  Ana@AXA.example: {login: ana@event.example, password: s3cret}\n")
    os.chmod(path, 0o644)
    store = CredentialStore(settings.with_overrides(credentials_file=path, slush_login="team@x.example",
                                                    slush_password="shared"))
    with pytest.raises(CredentialsError, match="readable by others; run chmod 600"):
        store.for_teammate("slush_platform", "ana@axa.example", SHARED)
    os.chmod(path, 0o600)
    assert store.for_teammate("slush_platform", "ana@axa.example", SHARED).login == "ana@event.example"
    assert store.for_teammate("slush_platform", "bo@axa.example", SHARED).login == "team@x.example"
    assert mask("ana@event.example") == "an***@event.example"


# -- reading the app's words (no browser): both builds' phrasings and others a real app may use ---------

@pytest.mark.parametrize("words, start, end", [
    ("2:15 PM – 2:30 PM your time · 2:15 PM – 2:30 PM Bob’s time", "14:15", "14:30"),
    ("14:15–14:30 your time 13:15–13:30 Alice's time", "14:15", "14:30"),
    ("When: Wed 2 Dec 14:30–14:45 your time · 13:30 Bob's time", "14:30", "14:45"),
    ("Alice's time 09:00–09:15 · Your time 10:00–10:15", "10:00", "10:15"),
    ("Your time: 1:00 - 1:15 pm", "13:00", "13:15"),
    ("Wed 2 Dec 14:30–14:45", "14:30", "14:45"),
])
def test_the_time_shown_as_your_time_is_read(words, start, end):
    from booking.platforms.slush_reading import your_clock

    read = your_clock(words)
    assert (f"{read.start:%H:%M}", f"{read.end:%H:%M}") == (start, end)


@pytest.mark.parametrize("lines, state", [
    (["Meeting request", "Alice Smith", "CEO · Acme Robotics", "Status", "Request pending", "Your message",
      "Hello, I accepted nothing yet"], "pending"),
    (["Meeting with Bob Jones", "CTO · Acme Robotics", "Accepted", "When: Wed 2 Dec 14:30–14:45 your time"], "accepted"),
    (["Status", "Confirmed", "Meeting point", "Table 1"], "accepted"),
    (["Status: Declined by Bob"], "declined"),
    (["Meeting with Bob Jones", "New time suggested", "When: Wed 2 Dec 14:30–14:45 your time"], "rescheduled"),
    (["Status", "Bob suggested another time"], "rescheduled"),
    (["Cancelled"], "cancelled"),
    (["Meeting request", "Cancel meeting request"], None),
])
def test_a_requests_status_is_read_from_its_label_or_its_badge(lines, state):
    from booking.platforms.slush_reading import status_of

    assert status_of(lines) == state


def test_a_requests_time_proposed_time_and_table_are_read_in_your_zone():
    from booking.platforms.slush_reading import table_in, times_in

    blind = ["Status", "Bob suggested another time", "Time", "Wed, 2 Dec 2026, 3:00 PM – 3:15 PM (your time)",
             "Bob’s time", "3:00 PM – 3:15 PM", "Bob proposed a new time",
             "Wed, 2 Dec 2026, 3:15 PM – 3:30 PM (your time) · 3:15 PM – 3:30 PM Bob’s time"]
    first = ["New time suggested", "When: Wed 2 Dec 15:00–15:15 your time · 15:00 Bob's time",
             "Bob suggested a new time: Wed 2 Dec 15:15 your time"]
    today = TOMORROW.date() - timedelta(days=1)
    for lines in (blind, first):
        assert times_in(lines, today, "Europe/Helsinki") == (TOMORROW.replace(hour=15), TOMORROW.replace(hour=15, minute=15))
    assert table_in(["Where: Table 12, Meeting Area"]) == table_in(["Meeting point", "Table 12"]) == "Table 12"
    assert table_in(["Meeting point: Booth B"]) == "Booth B" and table_in(["Your message", "Hi"]) is None


@pytest.mark.parametrize("words, quota", [
    ("Meeting requests remaining: 3", 3), ("Meeting Requests Remaining 2 Your ticket limits", 2),
    ("You have 4 meeting requests left", 4), ("Meeting requests remaining: …", None),
])
def test_the_requests_remaining_are_read(words, quota):
    from booking.platforms.slush_reading import quota_in

    assert quota_in(words) == quota
