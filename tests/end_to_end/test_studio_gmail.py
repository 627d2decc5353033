"""A custom page booked from its recipe in a Google-configured deployment: the e-mailed code is read
from the teammate's Gmail (the real Gmail client against the Google fake) through ``GmailMailbox``,
which ``build_service`` gives recipes because Google is configured."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from booking.gmail_check import GmailMailbox
from booking.service import BookingRequestInput, Teammate
from booking.states import BookingStatus
from booking.wiring import build_service
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
