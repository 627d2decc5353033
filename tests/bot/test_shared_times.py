"""Times a colleague reads are Slack date tokens: each reader sees them in their own zone."""
from __future__ import annotations

import pytest

from booking.domain.states import BookingStatus
from tests.bot.kit import MARIA, SLOT_1, command, hold_jobs, make_booking, replies

S = BookingStatus


@pytest.fixture
def world(bot, slack, directory, monkeypatch):
    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    return app, service, hold_jobs(service, monkeypatch)


def test_the_colleague_warning_shows_their_meeting_time_in_the_readers_zone(world, slack):
    """Maria (Helsinki) booked Acme; Eduardo's warning carries a date token, with Maria's zone named
    in the fallback, instead of a bare "Wed 2 Dec 09:00" that would be wrong wherever he is."""
    app, service, jobs = world
    make_booking(service, MARIA, S.CONFIRMED)
    [warning] = replies(slack, command(app, slack, "Acme"))
    text = warning["blocks"][0]["text"]["text"]
    token = f"<!date^{int(SLOT_1.timestamp())}^{{date_short_pretty}} at {{time}}|Wed 2 Dec 09:00 (Europe/Helsinki)>"
    assert f"<@U456> — confirmed, {token} ·" in text
