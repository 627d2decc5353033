"""Mail → verdict: the Slush matchmaking app's own notification mails (as the replica sends them)
read with the platform's ``mail_signals``, and what those rules must not claim."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.mail.signals import Candidate, Mail, verdict_for
from booking.platforms.calendly import Calendly
from booking.platforms.slush import SlushMatchmaking
from replicas.mail import Outbox
from replicas.slush import DEMO_LOGIN, build_slush

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
HEL = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def app():
    outbox = Outbox()
    with build_slush(now=lambda: NOW, mail_sink=outbox) as site:
        yield site, outbox


def as_mail(sent) -> Mail:
    return Mail(sender=sent.sender, subject=sent.subject, body=sent.body, received_at=sent.sent_at)


def candidate(booking_id: int, meeting_id: str, person: str, startup: str = "Acme Robotics",
              signals=SlushMatchmaking.mail_signals) -> Candidate:
    return Candidate(id=booking_id, startup_name=startup, external_booking_id=meeting_id, person_email=None,
                     slot=None, submitted_at=NOW - timedelta(minutes=5), timezone="Europe/Helsinki",
                     person_name=person, signals=signals)


def request(site, attendee: str, hour: int, minute: int = 0):
    return site.request_meeting(DEMO_LOGIN, attendee, datetime(2026, 12, 2, hour, minute, tzinfo=HEL), "Hello")


def test_accept_mail_confirms_the_request_it_links_to_with_its_table(app):
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    alice = request(site, "a-1001", 10, 0)
    site.accept(bob.id, "Table 7")
    verdict = verdict_for(as_mail(outbox.sent[-1]), [candidate(1, alice.id, "Alice Smith"),
                                                     candidate(2, bob.id, "Bob Jones")])
    assert (verdict.booking_id, verdict.state, verdict.location) == (2, "confirmed", "Table 7")
    assert verdict.detail == "confirmed by e-mail from Slush Matchmaking at 10:00"


def test_decline_mail_without_a_link_is_matched_by_the_person_who_answered(app):
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    alice = request(site, "a-1001", 10, 0)
    site.decline(alice.id)
    assert "/meetings/" not in outbox.sent[-1].body
    verdict = verdict_for(as_mail(outbox.sent[-1]), [candidate(1, alice.id, "Alice Smith"),
                                                     candidate(2, bob.id, "Bob Jones")])
    assert (verdict.booking_id, verdict.state, verdict.location) == (1, "declined", None)


def test_new_time_mail_says_rescheduled_and_leaves_the_time_to_the_page(app):
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    site.reschedule(bob.id, datetime(2026, 12, 2, 15, 30, tzinfo=HEL))
    verdict = verdict_for(as_mail(outbox.sent[-1]), [candidate(2, bob.id, "Bob Jones")])
    assert (verdict.booking_id, verdict.state, verdict.slot) == (2, "rescheduled", None)


def test_a_mail_about_another_request_confirms_none_of_ours(app):
    """Same person, but the mail links to a request Booker didn't make (or one already settled)."""
    site, outbox = app
    ours = request(site, "a-1002", 14, 15)
    theirs = request(site, "a-1002", 14, 30)
    site.accept(theirs.id)
    assert verdict_for(as_mail(outbox.sent[-1]), [candidate(2, ours.id, "Bob Jones")]) is None


def test_a_person_name_shared_by_two_pending_requests_decides_nothing(app):
    site, outbox = app
    first = request(site, "a-1002", 14, 15)
    second = request(site, "a-1002", 14, 30)
    site.decline(first.id)
    assert verdict_for(as_mail(outbox.sent[-1]), [candidate(1, first.id, "Bob Jones", "Acme"),
                                                  candidate(2, second.id, "Bob Jones", "Acme Two")]) is None


def test_the_rules_only_read_mail_from_the_apps_senders(app):
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    site.decline(bob.id)
    sent = outbox.sent[-1]
    forged = Mail(sender="Bob <bob@phish.example>", subject=sent.subject, body=sent.body, received_at=sent.sent_at)
    assert verdict_for(forged, [candidate(2, bob.id, "Bob Jones")]) is None
    brella = Mail(sender="Brella <no-reply@mail.brella.io>", subject=sent.subject, body=sent.body,
                  received_at=sent.sent_at)
    assert verdict_for(brella, [candidate(2, bob.id, "Bob Jones")]).state == "declined"


def test_platforms_without_rules_are_not_matched_by_the_person_in_a_slush_mail(app):
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    site.decline(bob.id)
    calendly_booking = candidate(3, "evt-123456", "Bob Jones", signals=Calendly.mail_signals)
    assert verdict_for(as_mail(outbox.sent[-1]), [calendly_booking]) is None


def test_a_mail_from_before_the_request_was_sent_is_ignored(app):
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    site.accept(bob.id)
    late = Candidate(id=2, startup_name="Acme Robotics", external_booking_id=bob.id, person_email=None, slot=None,
                     submitted_at=NOW + timedelta(hours=1), person_name="Bob Jones",
                     signals=SlushMatchmaking.mail_signals)
    assert verdict_for(as_mail(outbox.sent[-1]), [late]) is None


def test_the_apps_other_mails_mean_nothing_even_with_a_generic_word(app):
    """A reminder says "is scheduled" (a generic confirmation word): the app's own vocabulary decides."""
    site, outbox = app
    bob = request(site, "a-1002", 14, 15)
    reminder = Mail(sender="Slush Matchmaking <matchmaking@slush.com>",
                    subject="[Slush 2026] Reminder: your meeting with Bob Jones is scheduled",
                    body=f"Open the meeting: {site.meeting_url(bob.id)}", received_at=NOW)
    assert verdict_for(reminder, [candidate(2, bob.id, "Bob Jones")]) is None
