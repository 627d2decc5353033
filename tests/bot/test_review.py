"""Review before submit, cancelling a running job and "Check now", end to end on the Calendly replica.

Real headless Chromium, the real Bolt app and WebClient against the Slack fake, signed payloads.
"""
from __future__ import annotations

import json
import urllib.request

import pytest

from booking.domain.states import BookingStatus
from booking.platforms.calendly import Calendly
from booking.workflow.preferences import set_review_by_default
from bot import ids
from tests.bot.kit import action_ids, click, command, events_of, make_booking, parent, replies
from tests.helpers import eventually, settled

S = BookingStatus
pytestmark = pytest.mark.browser


def only_row(service):
    [row] = settled(service)
    return row


def review_on(service, teammate):
    set_review_by_default(service, teammate, True)


def test_review_then_approve_books_exactly_what_was_reviewed(bot, slack, calendly, directory, teammate):
    app, service = bot
    review_on(service, teammate)
    command(app, slack, "Acme")
    row = only_row(service)
    assert row.status == S.AWAITING_REVIEW and calendly.bookings == []
    reviewed = (row.selected_person_name, row.proposed_slot_1_datetime, row.proposed_slot_2_datetime)
    assert reviewed[0] == "Alice Smith" and reviewed[2] is not None

    message = slack.message("C123", row.thread_ref["ts"])
    assert message["text"] == "Acme Robotics: form filled, waiting for your review 👀"
    assert action_ids(message) == [ids.APPROVE, ids.OTHER_SLOT, ids.CANCEL]
    thread = slack.thread("C123", row.thread_ref["ts"])
    filled = [m for m in thread if m["text"].startswith("Filled in Eduardo Paz")]
    assert filled and any(f["filename"].endswith("_form_filled.png") for f in slack.files.values())
    [dm] = slack.dms("U123")
    assert dm["text"].startswith("The form for Acme Robotics is filled in for Wed 2 Dec, 09:00 (Europe/Helsinki)")
    assert row.thread_ref["link"] in dm["text"]

    hook = click(app, slack, ids.APPROVE, row.id, message=message)
    assert replies(slack, hook)[0]["text"] == "Sending the form for Acme Robotics with Wed 2 Dec, 09:00 (Europe/Helsinki)."
    row = only_row(service)
    assert row.status == S.CONFIRMED
    [booked] = calendly.bookings
    assert (booked["host_name"], booked["start_time"]) == (reviewed[0], reviewed[1])
    assert "Wed 2 Dec, 09:30" in next(iter(booked["answers"].values()))  # the alternative is still offered
    assert parent(slack, service.get(row.id))["text"].startswith("✓ Booked Acme Robotics with Alice Smith")


def test_review_then_cancel_leaves_no_booking_on_the_replica(bot, slack, calendly, directory, teammate, browsers):
    app, service = bot
    review_on(service, teammate)
    command(app, slack, "Beta")
    row = only_row(service)
    assert row.status == S.AWAITING_REVIEW and browsers.live_sessions == 0  # the browser is closed meanwhile
    hook = click(app, slack, ids.CANCEL, row.id, message=slack.message("C123", row.thread_ref["ts"]))
    assert replies(slack, hook)[0]["text"] == ("Cancelled: the form was filled but never sent, so Beta Health "
                                               "received nothing.")
    assert service.get(row.id).status == S.CANCELLED and calendly.bookings == []
    assert action_ids(slack.message("C123", row.thread_ref["ts"])) == []


def test_the_reviewed_slot_taken_meanwhile_fails_without_booking_another(bot, slack, calendly, directory, teammate):
    app, service = bot
    review_on(service, teammate)
    command(app, slack, "Acme")
    row = only_row(service)
    # Someone else books the reviewed slot through Calendly's own endpoint while the teammate reads.
    event = calendly.hosts["alice-acme"].event_types[0]
    request = urllib.request.Request(
        f"{calendly.url}/api/booking/invitees", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"event_type_uuid": event.uuid, "start_time": row.proposed_slot_1_datetime.isoformat(),
                         "full_name": "Somebody Else", "email": "someone@else.example"}).encode())
    urllib.request.urlopen(request, timeout=10).close()
    click(app, slack, ids.APPROVE, row.id, message=slack.message("C123", row.thread_ref["ts"]))
    eventually(lambda: service.get(row.id).status == S.FAILED, 90, "the resumed job to fail")
    view = service.get(row.id)
    assert "Wed 2 Dec, 09:00 (Europe/Helsinki) was taken while the form waited for review" in view.error_message
    assert [b["name"] for b in calendly.bookings] == ["Somebody Else"]


def test_pick_the_other_slot_from_the_booking_form_review(bot, slack, calendly, directory, teammate):
    """The form's review tick (not the teammate's default) pauses; "Pick the other slot" books slot 2."""
    app, service = bot
    command(app, slack, "")
    form = eventually(lambda: slack.calls_to("views.open"), 10, "the form")[0].params["view"]
    values = {
        "startup": {ids.STARTUP_PICK: {"type": "external_select",
                                      "selected_option": {"value": "beta-health", "text": {"text": "Beta Health"}}}},
        "message": {ids.MESSAGE: {"type": "plain_text_input", "value": "Hi {person}, this is {first_name}."}},
        "options": {ids.OPTIONS: {"type": "checkboxes", "selected_options": [{"value": ids.REVIEW_OPTION}]}},
    }
    from tests.bot.kit import submit

    submit(app, ids.BOOK_MODAL, values, metadata=form["private_metadata"])
    row = only_row(service)
    assert row.status == S.AWAITING_REVIEW and row.review_before_submit
    first, second = row.proposed_slot_1_datetime, row.proposed_slot_2_datetime
    click(app, slack, ids.OTHER_SLOT, row.id, message=slack.message("C123", row.thread_ref["ts"]))
    eventually(lambda: service.get(row.id).status == S.CONFIRMED, 90, "the other slot to be booked")
    [booked] = calendly.bookings
    assert booked["start_time"] == second and booked["host_name"] == "Carla Diaz"
    assert next(iter(booked["answers"].values())).startswith("Hi Carla Diaz, this is Eduardo.")
    assert service.get(row.id).proposed_slots == (second, first)


def test_cancel_while_the_browser_is_on_the_page_stops_before_sending(bot, slack, calendly, directory):
    """The page hangs (the fault) while the teammate presses Cancel; once it loads, the job stops."""
    app, service = bot
    calendly.faults.hang_booking_page = True
    command(app, slack, "Acme")
    row = eventually(lambda: [r for r in settled_rows(service) if r.thread_ref.get("ts")], 30, "the thread")[0]
    eventually(lambda: any(m["text"].startswith("Opened") for m in slack.thread("C123", row.thread_ref["ts"])),
               30, "the job to open the team page")
    hook = click(app, slack, ids.CANCEL, row.id, message=slack.message("C123", row.thread_ref["ts"]))
    assert replies(slack, hook)[0]["text"].startswith("Stopping the booking with Acme Robotics")
    calendly.faults.hang_booking_page = False
    eventually(lambda: service.get(row.id).status == S.CANCELLED, 60, "the job to stop")
    assert calendly.bookings == [] and service.runner.wait_idle(30)
    assert "Cancelled by the teammate before the form was sent" in events_of(service, row.id, "status")[-1].detail
    message = slack.message("C123", row.thread_ref["ts"])
    assert message["text"] == "Booking Acme Robotics cancelled" and action_ids(message) == []


def settled_rows(service):
    from booking.store.models import MeetingBookingRequest

    with service.db.session() as session:
        return session.query(MeetingBookingRequest).all()


class CheckableCalendly(Calendly):
    """A Calendly that can read a booking's state back (none can yet: [confirmations] adds real ones).

    Its check opens the booking page in the real browser and answers "confirmed" once it loaded.
    """

    checks_status = True

    def check_status(self, booking_url, external_booking_id):
        from booking.platforms.base import StatusCheck

        self.open(booking_url)
        return StatusCheck("accepted")


def test_check_now_runs_the_platform_check_and_confirms(bot, slack, calendly, directory, teammate, monkeypatch):
    import booking.platforms.registry as registry

    app, service = bot
    monkeypatch.setattr(registry, "PLATFORMS", (CheckableCalendly,))
    real_submit = service.runner.submit
    service.runner.submit = lambda *args, **kwargs: None  # the original booking job isn't part of this story
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    service.runner.submit = real_submit
    hook = click(app, slack, ids.CHECK_NOW, view.id, message=parent(slack, view))
    assert replies(slack, hook)[0]["text"] == ("Checking Acme Robotics on Calendly now; the message updates with "
                                               "the result.")
    eventually(lambda: service.get(view.id).status == S.CONFIRMED, 60, "the check to confirm")
    after = service.get(view.id)
    assert after.confirmation_check_count == 1 and after.confirmation_method == "page"
    assert parent(slack, view)["text"].startswith("✓ Booked Acme Robotics")
