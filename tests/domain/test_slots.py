"""Slot parsing and matching, including the time-zone and DST edge cases."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.domain.slots import (
    Interval, OfferedSlot, SlotParseError, SlotRules, localize, parse_clock, parse_iso, pick_slots, rejection_reason,
    slot_from_text,
)

UTC = timezone.utc
HEL = "Europe/Helsinki"


@pytest.mark.parametrize("text, expected", [
    ("4:00pm", time(16, 0)), ("4:00 pm", time(16, 0)), ("9:30 AM", time(9, 30)), ("14:00", time(14, 0)),
    ("12:00pm", time(12, 0)), ("12:15am", time(0, 15)), ("4pm", time(16, 0)), ("7.45 p.m.", time(19, 45)),
    (" 08:05 ", time(8, 5)),
])
def test_parse_clock_reads_every_platform_format(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["", "noon", "25:00", "13:00pm", "4:75pm", "16", "Central European Time (3:29pm)"])
def test_parse_clock_refuses_what_is_not_a_time(text):
    with pytest.raises(SlotParseError):
        parse_clock(text)


def test_parse_iso_needs_a_zone():
    assert parse_iso("2025-01-03T14:00:00.000Z") == datetime(2025, 1, 3, 14, tzinfo=UTC)
    with pytest.raises(SlotParseError):
        parse_iso("2025-01-03T14:00:00")


def test_localize_across_dst_changes():
    # Helsinki: clocks go forward at 03:00 on 29 Mar 2026 and back at 04:00 on 25 Oct 2026.
    assert localize(date(2026, 3, 28), time(9), HEL).utcoffset() == timedelta(hours=2)
    assert localize(date(2026, 3, 29), time(9), HEL).utcoffset() == timedelta(hours=3)
    with pytest.raises(SlotParseError, match="does not exist"):
        localize(date(2026, 3, 29), time(3, 30), HEL)
    ambiguous = localize(date(2026, 10, 25), time(3, 30), HEL)
    assert ambiguous.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # first occurrence


def slot(hour, minute=0, day=2, zone=HEL, minutes=30):
    start = datetime(2026, 12, day, hour, minute, tzinfo=ZoneInfo(zone))
    return OfferedSlot(start, start + timedelta(minutes=minutes), f"{hour}:{minute:02d}")


def rules(**kw):
    base = dict(timezone=HEL, earliest=datetime(2026, 12, 1, tzinfo=UTC), latest=datetime(2026, 12, 20, tzinfo=UTC))
    base.update(kw)
    return SlotRules(**base)


def test_pick_two_earliest_when_free():
    offered = [slot(11), slot(9), slot(10)]
    assert [s.label for s in pick_slots(offered, rules())] == ["9:00", "10:00"]


def test_busy_blocks_and_buffer_skip_slots():
    busy = (Interval(datetime(2026, 12, 2, 9, tzinfo=ZoneInfo(HEL)), datetime(2026, 12, 2, 10, tzinfo=ZoneInfo(HEL))),)
    offered = [slot(9), slot(10), slot(10, 30), slot(11)]
    assert [s.label for s in pick_slots(offered, rules(busy=busy))] == ["10:00", "10:30"]
    buffered = rules(busy=busy, buffer=timedelta(minutes=15))
    assert [s.label for s in pick_slots(offered, buffered)] == ["10:30", "11:00"]
    assert rejection_reason(slot(9), rules(busy=busy)) == "busy in your calendar"


def test_slots_from_another_zone_are_compared_in_absolute_time():
    # The page shows New York times; the teammate is in Helsinki and busy 16:00-17:00 there (= 9:00-10:00 NY).
    busy = (Interval(datetime(2026, 12, 2, 16, tzinfo=ZoneInfo(HEL)), datetime(2026, 12, 2, 17, tzinfo=ZoneInfo(HEL))),)
    new_york = [slot_from_text(date(2026, 12, 2), t, "America/New_York", timedelta(minutes=30)) for t in ("9:00am", "9:30am", "10:00am")]
    picked = pick_slots(new_york, rules(busy=busy, working_hours=(time(9), time(18))))
    assert [s.label for s in picked] == ["10:00am"]  # 17:00 in Helsinki; 9:xx NY is busy


def test_working_hours_are_in_the_teammates_zone():
    r = rules(working_hours=(time(9), time(17)), timezone="America/New_York")
    # 15:00 Helsinki = 08:00 New York: before the New Yorker's day starts
    assert rejection_reason(slot(15), r) == "outside working hours"
    assert rejection_reason(slot(16), r) is None


def test_lead_time_and_window():
    r = rules(earliest=datetime(2026, 12, 2, 8, tzinfo=UTC), latest=datetime(2026, 12, 2, 12, tzinfo=UTC))
    assert rejection_reason(slot(9), r) == "too soon"  # 07:00 UTC
    assert rejection_reason(slot(13), r) is None  # 11:00 UTC
    assert rejection_reason(slot(15), r) == "after the search window"


def test_preferred_windows_come_first_and_picks_never_overlap():
    pref = (Interval(datetime(2026, 12, 3, 13, tzinfo=ZoneInfo(HEL)), datetime(2026, 12, 3, 15, tzinfo=ZoneInfo(HEL))),)
    offered = [slot(9), slot(13, day=3, minutes=60), slot(13, 30, day=3), slot(14, day=3)]
    picked = pick_slots(offered, rules(preferred=pref))
    assert [(s.start.day, s.label) for s in picked] == [(3, "13:00"), (3, "14:00")]


def test_nothing_acceptable_gives_nothing():
    assert pick_slots([slot(9)], rules(earliest=datetime(2026, 12, 10, tzinfo=UTC))) == []
