"""Core pieces of the Slack UX that need no Slack: the 0002 migration, review expiry housekeeping,
parsing admins' people lists, and the notifier sending an unchanged message only once."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import inspect

from booking.domain.states import BookingStatus
from booking.runtime.housekeeping import Housekeeper
from booking.store.db import create_db_engine, migrate
from booking.store.models import MeetingBookingRequest
from booking.workflow.admin import parse_people
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService

S = BookingStatus


def test_0002_upgrades_a_database_with_bookings_in_place_and_downgrades(tmp_path):
    path = tmp_path / "old.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine, "0001")
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO meeting_booking_requests (startup_name, status, booking_platform, booking_url, "
            "preferred_times, selenium_screenshots, confirmation_check_count, user_name, user_email, user_company, "
            "user_role, user_timezone, retry_count, max_retries, thread_ref, requested_via, created_at, updated_at, "
            "version) VALUES ('Acme', 'confirmed', 'calendly', 'https://calendly.com/acme', '[]', '[]', 0, 'E', "
            "'e@x.example', 'AXA', 'VC', 'UTC', 0, 3, '{}', 'cli', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 1)")
    migrate(engine, "0002_slack_ux")
    columns = {c["name"] for c in inspect(engine).get_columns("meeting_booking_requests")}
    assert {"startup_key", "review_before_submit", "review_state", "review_expires_at", "batch_id",
            "preferred_person"} <= columns
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT startup_name, review_before_submit, startup_key FROM meeting_booking_requests"
                           ).fetchall() == [("Acme", 0, None)]
    from alembic import command
    from alembic.config import Config

    from booking.store.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    engine.dispose()
    columns = {c["name"] for c in inspect(create_db_engine(f"sqlite:///{path}")).get_columns("meeting_booking_requests")}
    assert "review_state" not in columns and "startup_key" not in columns
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT startup_name FROM meeting_booking_requests").fetchall() == [("Acme",)]


def test_housekeeping_expires_reviews_nobody_answered(db, settings, clock, teammate, directory):
    service = BookingService(db, settings, browsers=None, runner=None, clock=clock)  # type: ignore[arg-type]
    view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme"))
    with db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        row.status = S.AWAITING_REVIEW.value
        row.review_expires_at = clock() + timedelta(minutes=30)
    from booking.workflow.controls import BookingControls

    keeper = Housekeeper([BookingControls(service).expire_overdue_reviews], interval=3600)
    keeper.run_once()
    assert service.get(view.id).status == S.AWAITING_REVIEW
    clock.advance(minutes=30)
    keeper.run_once()
    after = service.get(view.id)
    assert after.status == S.FAILED and "nothing was sent" in after.error_message
    keeper.start().stop()  # stops at once, without waiting for the interval


@pytest.mark.parametrize("text, people", [
    ("Alice Smith (CEO) <alice@acme.example>, Bob Jones",
     [{"email": "alice@acme.example", "role": "CEO", "name": "Alice Smith"}, {"name": "Bob Jones"}]),
    ("Carla Diaz carla@beta.example; Dan (CTO)",
     [{"email": "carla@beta.example", "name": "Carla Diaz"}, {"role": "CTO", "name": "Dan"}]),
    ("", []),
])
def test_parse_people(text, people):
    assert parse_people(text) == people


def test_an_unchanged_message_is_not_sent_again(slack):
    from booking.config.settings import Settings
    from booking.notify.notifier import BookingView
    from bot.client import make_client
    from bot.notifier import SlackNotifiers

    client = make_client(Settings(slack_bot_token="xoxb-test-token", slack_api_url=slack.api_url))
    factory = SlackNotifiers(client)
    view = BookingView(id=1, status="pending", startup_name="Acme", platform="calendly", platform_label="Calendly",
                       booking_url="https://calendly.com/acme", user_id="U123", user_name="E", user_email="e@x.example",
                       user_timezone="Europe/Helsinki", thread_ref={"channel": "C1"})
    ref = factory(view).queued(view)
    view = BookingView(**{**view.__dict__, "thread_ref": ref})
    factory(view).updated(view)  # same state: nothing to send
    in_progress = BookingView(**{**view.__dict__, "status": "booking_in_progress"})
    factory(in_progress).updated(in_progress)
    factory(in_progress).updated(in_progress)
    assert len(slack.calls_to("chat.update")) == 1
    assert ref["link"] == f"https://booker-test.slack.com/archives/C1/p{ref['ts'].replace('.', '')}"


@pytest.mark.parametrize("value, error", [("0", "at least 1"), ("soon", "a whole number"), ("2000", "at most 1440")])
def test_review_timeout_setting_is_validated(tmp_path, value, error):
    from booking.config.settings import Settings, SettingsError

    assert Settings.from_env({}, env_file=tmp_path / "none").review_timeout_minutes == 30
    assert Settings.from_env({"BOOKER_REVIEW_TIMEOUT_MINUTES": "45"}, env_file=tmp_path / "none").review_timeout_minutes == 45
    with pytest.raises(SettingsError, match=f"BOOKER_REVIEW_TIMEOUT_MINUTES must be {error}"):
        Settings.from_env({"BOOKER_REVIEW_TIMEOUT_MINUTES": value}, env_file=tmp_path / "none")
