"""``auto`` types a code the page e-mails to finish a booking, read from the job's mailbox.

The page is a Google appointment page with e-mail verification, served where no module recognises its
address (127.0.0.1, no platform, no recipe), so the registry's fallback books it: after "Book" the page asks
for the PIN it just e-mailed; auto reads it from the mailbox (never an older code already there), types it
and sends it, then reads the page's answer as after any submit.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

import pytest

from booking.domain.states import BookingStatus
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.builds import replica_class
from replicas.google_appointments import GoogleAppointmentsReplica
from replicas.world import seed_directory
from tests.platforms.test_google_appointments import SCHEDULE, hel, mail_into, schedule

pytestmark = pytest.mark.browser


@pytest.fixture
def mailbox() -> InMemoryMailbox:
    return InMemoryMailbox()


@pytest.fixture
def auto_service(db, settings, browsers, clock, mailbox) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, mailbox=mailbox)
    runner.shutdown()


def test_auto_types_the_code_the_page_emailed(auto_service, db, clock, teammate, mailbox, build):
    site_class = replica_class("google_appointments", build, GoogleAppointmentsReplica)
    with site_class([schedule(require_email_verification=True)], now=clock, mail_sink=mail_into(mailbox)) as site:
        mailbox.deliver(MailMessage("noreply@example.com", teammate.email, "Your code",
                                    "Your PIN is 999111.", clock()))  # an older code: never typed
        seed_directory(db, [{"name": "Verify Co", "aliases": ["verify"], "platform": "",
                             "booking_url": site.booking_url(SCHEDULE), "people": []}])
        view = auto_service.request_booking(BookingRequestInput(teammate=teammate, startup="verify"))
        auto_service.start(view.id)
        assert auto_service.runner.wait_idle(180)
        final = auto_service.get(view.id)
        assert final.platform == "auto"
        assert final.status in (BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR), final.error_message
        [recorded] = site.bookings  # the page books only once the PIN it e-mailed is typed
    assert recorded["email"] == teammate.email and datetime.fromisoformat(recorded["start"]) == hel(2, 10)
    codes = [m for m in mailbox.all if m.to == teammate.email and "999111" not in m.body and "PIN" in m.body]
    assert codes, "the page e-mailed no PIN, so nothing was typed"


def test_without_a_mailbox_auto_says_it_cannot_read_the_code(db, settings, browsers, clock, teammate, build):
    runner = JobRunner(settings.max_browsers)
    service = BookingService(db, settings, browsers, runner, clock=clock)
    try:
        site_class = replica_class("google_appointments", build, GoogleAppointmentsReplica)
        with site_class([schedule(require_email_verification=True)], now=clock) as site:
            seed_directory(db, [{"name": "Verify Co", "aliases": ["verify"], "platform": "",
                                 "booking_url": site.booking_url(SCHEDULE), "people": []}])
            view = service.request_booking(BookingRequestInput(teammate=teammate, startup="verify"))
            service.start(view.id)
            assert runner.wait_idle(180)
            final = service.get(view.id)
            assert site.bookings == []
    finally:
        runner.shutdown()
    assert final.status == BookingStatus.FAILED
    assert "e-mailed you a code" in final.error_message and "no mailbox" in final.error_message
    assert "\n" not in final.error_message
