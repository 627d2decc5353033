"""calendar_sync's thin Gmail client against the fake: search, read, history, attachments."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from calendar_sync import HistoryTooOld
from tests.google.conftest import TEAMMATE_EMAIL

UTC = timezone.utc
INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calendly//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:calendly-7f3a@calendly.com\r\nDTSTART:20261202T070000Z\r\nDTEND:20261202T073000Z\r\n"
    "SUMMARY:Eduardo Paz and Alice Smith\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def gmail(workspace):
    return workspace.gmail(TEAMMATE_EMAIL)


def test_history_lists_mail_added_since_a_stored_id(google, gmail, clock):
    start = gmail.profile().history_id
    first = google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>",
                           subject="New Event: Eduardo Paz - 09:00am Wed, Dec 2, 2026", text="You are scheduled.")
    second = google.deliver(TEAMMATE_EMAIL, sender="alice@acme.example", subject="See you tomorrow", text="Hi!")
    changes = gmail.changes_since(start)
    assert changes.added == [first, second] and changes.history_id == google.history_id(TEAMMATE_EMAIL)
    assert gmail.changes_since(changes.history_id).added == []
    [call, *_] = google.calls_to("gmail.users.history.list")
    assert call.query["historyTypes"] == ["messageAdded"] and call.query["startHistoryId"] == [str(start)]


def test_history_too_old_means_a_full_sync(google, gmail):
    start = gmail.profile().history_id
    google.deliver(TEAMMATE_EMAIL, sender="a@b.example", subject="x", text="y")
    google.expire_history(TEAMMATE_EMAIL)
    with pytest.raises(HistoryTooOld, match="do a full sync"):
        gmail.history(start)
    assert [c.status for c in google.calls_to("gmail.users.history.list")] == [404]


@pytest.mark.parametrize("query, expected", [
    ("from:calendly.com", ["calendly_new", "calendly_old"]),
    ('from:calendly.com subject:"New Event"', ["calendly_new"]),
    ("newer_than:1d", ["calendly_new", "alice"]),
    ("has:attachment", ["alice"]),
    ("after:2026/11/30", ["calendly_new", "alice"]),  # midnight Pacific time on 30 Nov
    (f"after:{int(datetime(2026, 12, 1, 7, 30, tzinfo=UTC).timestamp())}", ["calendly_new"]),
    ("-from:calendly.com", ["alice"]),
    ("tomorrow", ["alice"]),
])
def test_search_supports_the_operators_confirmations_use(google, gmail, clock, query, expected):
    ids = {
        "calendly_old": google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>",
                                       subject="Reminder", text="Old", at=clock.now - timedelta(days=3)),
        "alice": google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>", subject="Agenda",
                                text="See you tomorrow", attachments=[("agenda.pdf", "application/pdf", b"%PDF-1.4")],
                                at=clock.now - timedelta(hours=2)),
        "calendly_new": google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>",
                                       subject="New Event: Eduardo Paz", text="Booked", at=clock.now),
    }
    names = {v: k for k, v in ids.items()}
    assert [names[i] for i in gmail.list_messages(query).ids] == expected  # newest first


def test_search_pages_through_many_messages(google, gmail):
    for n in range(7):
        google.deliver(TEAMMATE_EMAIL, sender="notifications@calendly.com", subject=f"Mail {n}", text="x")
    first = gmail.list_messages("from:calendly.com", max_results=3)
    assert len(first.ids) == 3 and first.next_page_token and first.result_size_estimate == 7
    assert len(list(gmail.iter_message_ids("from:calendly.com", limit=100))) == 7
    assert len(list(gmail.iter_message_ids("from:calendly.com", limit=5))) == 5


def test_an_inline_invite_is_found_in_the_full_message(google, gmail):
    message_id = google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>",
                                subject="Invitation: Eduardo Paz and Alice Smith", text="Invitation",
                                html="<p>Invitation from <b>Calendly</b></p>", ics=INVITE)
    message = gmail.get_message(message_id)
    assert message.subject == "Invitation: Eduardo Paz and Alice Smith" and "calendly.com" in message.sender
    assert message.text().strip() == "Invitation"
    [invite] = message.calendar_parts()
    assert invite.mime_type == "text/calendar" and invite.attachment_id is None
    assert "method=" in (invite.header("Content-Type") or "").lower()
    assert b"UID:calendly-7f3a@calendly.com" in gmail.part_bytes(message, invite)
    assert google.calls_to("gmail.users.messages.attachments.get") == []


def test_an_ics_attachment_is_fetched_with_attachments_get(google, gmail):
    message_id = google.deliver(TEAMMATE_EMAIL, sender="alice@acme.example", subject="Updated invitation",
                                html="<p>Moved to <i>10:00</i></p>", ics=INVITE, ics_as_attachment=True)
    message = gmail.get_message(message_id)
    assert "Moved to 10:00" in " ".join(message.text().split())
    [invite] = message.calendar_parts()
    assert invite.filename == "invite.ics" and invite.data is None and invite.attachment_id
    assert gmail.part_bytes(message, invite).decode() == INVITE
    assert len(google.calls_to("gmail.users.messages.attachments.get")) == 1


def test_raw_and_metadata_formats(google, gmail, clock):
    message_id = google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>", subject="Canceled: x",
                                text="Cancelled by Alice", ics=INVITE.replace("REQUEST", "CANCEL"), ics_method="CANCEL")
    raw = gmail.get_message(message_id, format="raw")
    parsed = raw.email_message()
    assert parsed["Subject"] == "Canceled: x" and raw.subject == "Canceled: x"
    assert any(p.get_content_type() == "text/calendar" for p in parsed.walk())
    meta = gmail.get_message(message_id, format="metadata", metadata_headers=["Subject", "From"])
    assert meta.subject == "Canceled: x" and meta.header("To") is None
    assert meta.internal_date == clock.now and meta.history_id == google.history_id(TEAMMATE_EMAIL)


def test_latest_finds_a_code_mailed_to_the_teammate(google, gmail, clock):
    import re

    assert gmail.latest('from:booking@acme.example subject:"verification code" newer_than:1h') is None
    google.deliver(TEAMMATE_EMAIL, sender="Acme Booking <booking@acme.example>", subject="Your verification code",
                   text="Your code is 111111", at=clock.now - timedelta(hours=2))
    google.deliver(TEAMMATE_EMAIL, sender="Acme Booking <booking@acme.example>", subject="Your verification code",
                   html="<p>Your code is <b>482913</b></p>", at=clock.now)
    message = gmail.latest('from:booking@acme.example subject:"verification code" newer_than:1h')
    assert re.search(r"\b(\d{6})\b", message.text()).group(1) == "482913"
