"""A custom page booked from its recipe in a Google-configured deployment: the e-mailed code is read
from the teammate's Gmail (the real Gmail client against the Google fake) through ``GmailMailbox``,
which ``build_service`` gives recipes because Google is configured."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from booking.confirmations.gmail import GmailMailbox
from booking.domain.states import BookingStatus
from booking.runtime.wiring import build_service
from booking.workflow.requests import BookingRequestInput, Teammate
from replicas.mail import into_gmail
from replicas.studio import build_studio
from tests.end_to_end.conftest import TEAMMATE_EMAIL
from tests.platforms.test_custom import PHONE, seed_studio

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def deployed(google_settings, browsers, clock, db):
    """The service exactly as ``python -m booking`` builds it from Google settings (browsers and clock swapped)."""
    service = build_service(google_settings, clock=clock, browsers=browsers)
    yield service
    service.runner.shutdown()
    service.db.dispose()


@pytest.mark.browser
def test_the_emailed_code_is_read_from_gmail(deployed, google, clock, db):
    service = deployed
    assert isinstance(service.mailbox, GmailMailbox)
    teammate = Teammate(name="Eduardo Paz", email=TEAMMATE_EMAIL, timezone="Europe/Helsinki", user_id="U123",
                        phone=PHONE)
    with build_studio(now=clock, mail_sink=into_gmail(google)) as studio:
        seed_studio(db, studio)
        view = service.request_booking(BookingRequestInput(teammate=teammate, startup="nordlys"))
        service.start(view.id)
        assert service.runner.wait_idle(120)
        final = service.get(view.id)
        assert final.status in (BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR), final.error_message
        [booking] = studio.real_bookings
        assert studio.codes_sent == 1

    assert booking["start"] == datetime(2026, 12, 2, 10, 0, tzinfo=STOCKHOLM) and booking["phone"] == PHONE
    assert final.external_booking_id == booking["ref"]
    # The code mail sits in the teammate's inbox on the fake, and Booker found it by a Gmail search.
    searches = [" ".join(c.query.get("q", [])) for c in google.calls_to("gmail.users.messages.list")]
    assert any("from:no-reply@nordlys.example" in q and 'subject:"verification code"' in q for q in searches)
    assert google.calls_to("gmail.users.messages.get")
    # Google is configured, so the confirmed booking also went into the calendar.
    assert final.status == BookingStatus.ADDED_TO_CALENDAR
    [event] = google.events(TEAMMATE_EMAIL)
    assert datetime.fromisoformat(event["start"]["dateTime"]) == booking["start"]
    print(f"\nstudio via Gmail: {len(searches)} Gmail searches while waiting for the code")


@pytest.mark.browser
def test_gmail_refusing_says_so_instead_of_a_crash(deployed, google, clock, db):
    """Delegation for Gmail missing (403 on every search): a sentence about Gmail, never a raw Google error."""
    service = deployed
    google.fail("gmail.users.messages.list", status=403, times=1000, reason="forbidden",
                message="Delegation denied for eduardo.paz@axa-innovation.example")
    teammate = Teammate(name="Eduardo Paz", email=TEAMMATE_EMAIL, timezone="Europe/Helsinki", user_id="U123",
                        phone=PHONE)
    with build_studio(now=clock, mail_sink=into_gmail(google)) as studio:
        seed_studio(db, studio)
        view = service.request_booking(BookingRequestInput(teammate=teammate, startup="nordlys"))
        service.start(view.id)
        assert service.runner.wait_idle(120)
        assert studio.real_bookings == [] and studio.codes_sent == 1
    final = service.get(view.id)
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("Couldn't read your Gmail for the code the page e-mailed you")
    assert "Delegation denied" in final.error_message and "gmail.readonly" in final.error_message
    assert "form may already have been sent" in final.error_message


@pytest.mark.browser
def test_try_for_real_reads_the_code_from_gmail_when_google_is_configured(google, key_file, monkeypatch, tmp_path):
    """`python -m booking try nordlys --recipe …` (no --dry-run) books, the code read from the teammate's Gmail."""
    import io

    from booking.cli.main import main
    from booking.store.db import open_database
    from replicas.studio import STUDIO_RECIPE

    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path / 'try.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
                        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "10",
                        "BOOKER_USER_NAME": "Eduardo Paz", "BOOKER_USER_EMAIL": TEAMMATE_EMAIL,
                        "GOOGLE_CREDENTIALS_FILE": str(key_file), "GOOGLE_CALENDAR_API_URL": google.calendar_endpoint,
                        "GOOGLE_GMAIL_API_URL": google.gmail_endpoint}.items():
        monkeypatch.setenv(name, value)
    recipe = tmp_path / "nordlys.yaml"
    recipe.write_text(STUDIO_RECIPE)
    out = io.StringIO()
    with build_studio(mail_sink=into_gmail(google)) as live:  # the CLI runs on the real clock, so does this replica
        database = open_database(f"sqlite:///{tmp_path / 'try.db'}")
        seed_studio(database, live, people=("Mia Berg",))
        database.dispose()
        code = main(["try", "nordlys", "--recipe", str(recipe), "--phone", PHONE], out=out)
        assert code == 0, out.getvalue()
        [booking] = live.real_bookings
    text = out.getvalue()
    assert "enter_code" in text and "entered the code from the e-mail (6 characters)" in text
    assert f"booking id {booking['ref']}" in text
    assert google.calls_to("gmail.users.messages.list")
