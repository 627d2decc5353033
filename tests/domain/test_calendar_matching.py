"""Matching offered slots against the teammate's calendar: DST change days, zones, hours, holds, reporting."""
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.domain.hours import PreferencesError, TeammatePreferences, parse_days, parse_hours, parse_preferences
from booking.domain.slots import (
    BUSY, HELD, Interval, OfferedSlot, SlotRules, pick_slots, rejection_reason, skipped_for_calendar, slot_from_text,
)
from booking.platforms.agent import describe_rejections, describe_skipped

UTC = timezone.utc
HEL, NY = "Europe/Helsinki", "America/New_York"
HALF_HOUR = timedelta(minutes=30)


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def rules(**kw) -> SlotRules:
    base = dict(timezone=HEL, earliest=datetime(2026, 1, 1, tzinfo=UTC), latest=datetime(2027, 12, 31, tzinfo=UTC),
                working_hours=(time(8), time(18)))
    base.update(kw)
    return SlotRules(**base)


def page(day: date, zone: str, *labels: str) -> list[OfferedSlot]:
    return [slot_from_text(day, label, zone, HALF_HOUR) for label in labels]


# -- DST change days ------------------------------------------------------------------------------

def test_working_hours_follow_the_clock_change_in_autumn():
    """Helsinki falls back at 04:00 on Sun 25 Oct 2026: 08:00 local is 05:00 UTC on Saturday, 06:00 UTC on Sunday."""
    saturday = [OfferedSlot(datetime(2026, 10, 24, h, m, tzinfo=UTC), datetime(2026, 10, 24, h, m, tzinfo=UTC) + HALF_HOUR, "")
                for h, m in ((4, 30), (5, 0))]
    sunday = [OfferedSlot(datetime(2026, 10, 25, h, m, tzinfo=UTC), datetime(2026, 10, 25, h, m, tzinfo=UTC) + HALF_HOUR, "")
              for h, m in ((5, 30), (6, 0))]
    every_day = rules(working_days=frozenset(range(7)))
    assert [rejection_reason(s, every_day) for s in saturday] == ["outside working hours", None]
    assert [rejection_reason(s, every_day) for s in sunday] == ["outside working hours", None]


def test_a_busy_block_on_the_change_day_hides_the_right_local_slot():
    """Google sends busy blocks in UTC; 07:00Z on 25 Oct is 09:00 in Helsinki (it was 10:00 a day earlier)."""
    busy = (Interval(datetime(2026, 10, 25, 7, tzinfo=UTC), datetime(2026, 10, 25, 8, tzinfo=UTC)),)
    offered = page(date(2026, 10, 25), HEL, "9:00", "9:30", "10:00", "10:30")
    picked = pick_slots(offered, rules(busy=busy, working_days=frozenset(range(7))))
    assert [s.label for s in picked] == ["10:00", "10:30"]


def test_the_week_between_the_us_and_eu_changes_has_a_six_hour_gap():
    """On Mon 9 Mar 2026 New York is on summer time, Helsinki not yet: 11:30 NY is 17:30 Helsinki, 12:00 is 18:00."""
    offered = page(date(2026, 3, 9), NY, "11:00am", "11:30am", "12:00pm")
    assert [s.start.astimezone(ZoneInfo(HEL)).hour for s in offered] == [17, 17, 18]
    assert [s.label for s in pick_slots(offered, rules())] == ["11:00am", "11:30am"]
    # A week earlier the gap was seven hours and the same labels are too late for Helsinki.
    assert pick_slots(page(date(2026, 3, 2), NY, "11:00am", "11:30am"), rules()) == []


def test_a_page_time_that_doesnt_exist_on_the_spring_change_day_is_refused():
    from booking.domain.slots import SlotParseError

    with pytest.raises(SlotParseError, match="does not exist"):
        page(date(2026, 3, 8), NY, "2:30am")


def test_the_repeated_hour_in_autumn_is_the_first_occurrence_and_compared_in_utc():
    """1:30am on 1 Nov 2026 happens twice in New York; pages mean the first (EDT, 05:30Z)."""
    [first] = page(date(2026, 11, 1), NY, "1:30am")
    assert first.start.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    busy = (Interval(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), datetime(2026, 11, 1, 7, tzinfo=UTC)),)  # the second 1:30
    night_owl = rules(timezone=NY, working_hours=None, working_days=frozenset(range(7)), busy=busy)
    assert rejection_reason(first, night_owl) is None


# -- zones, buffer, holds -------------------------------------------------------------------------

def test_teammate_in_new_york_against_a_helsinki_page():
    """Helsinki 09:00–17:00 offered; a New Yorker working 08:00–18:00 overlaps only 15:00–17:00 Helsinki."""
    offered = page(date(2026, 12, 2), HEL, *(f"{h}:{m:02d}" for h in range(9, 17) for m in (0, 30)))
    busy = (Interval(at(NY, 2026, 12, 2, 8, 0), at(NY, 2026, 12, 2, 8, 30)),)
    picked = pick_slots(offered, rules(timezone=NY, busy=busy))
    assert [s.label for s in picked] == ["15:30", "16:00"]
    assert picked[0].start == at(NY, 2026, 12, 2, 8, 30)


def test_buffer_keeps_time_around_busy_and_held_meetings():
    meeting = Interval(at(HEL, 2026, 12, 2, 10, 0), at(HEL, 2026, 12, 2, 11, 0))
    offered = page(date(2026, 12, 2), HEL, "9:30", "11:00", "11:30")
    assert [s.label for s in pick_slots(offered, rules(busy=(meeting,)))] == ["9:30", "11:00"]
    buffered = rules(busy=(meeting,), buffer=timedelta(minutes=10))
    assert [s.label for s in pick_slots(offered, buffered)] == ["11:30"]
    held = rules(held=(meeting,), buffer=timedelta(minutes=10))
    assert rejection_reason(offered[0], held) == HELD and rejection_reason(offered[2], held) is None


def test_working_days_skip_the_weekend():
    saturday = page(date(2026, 12, 5), HEL, "10:00")
    assert rejection_reason(saturday[0], rules(working_days=frozenset(range(5)))) == "not a working day"
    assert rejection_reason(saturday[0], rules(working_days=frozenset(range(7)))) is None


def test_skipped_slots_are_the_ones_the_calendar_ruled_out_before_the_pick():
    busy = (Interval(at(HEL, 2026, 12, 2, 9, 0), at(HEL, 2026, 12, 2, 10, 0)),)
    held = (Interval(at(HEL, 2026, 12, 2, 10, 0), at(HEL, 2026, 12, 2, 10, 30)),)
    offered = page(date(2026, 12, 2), HEL, "7:30", "9:00", "9:30", "10:00", "10:30", "11:00")
    r = rules(busy=busy, held=held)
    picks = pick_slots(offered, r)
    assert [s.label for s in picks] == ["10:30", "11:00"]
    skipped = skipped_for_calendar(offered, picks, r)
    assert [(s.label, why) for s, why in skipped] == [("9:00", BUSY), ("9:30", BUSY), ("10:00", HELD)]  # 7:30 is just early
    assert describe_skipped(skipped, HEL) == (
        "Wed 2 Dec 09:00, 09:30 (busy in your calendar); Wed 2 Dec 10:00 (held by another of your bookings)")
    assert describe_skipped(skipped, NY).startswith("Wed 2 Dec 02:00, 02:30 (busy")


def test_no_match_explains_why_each_offered_time_was_refused():
    counts = Counter({BUSY: 12, "outside working hours": 3, "too soon": 1})
    assert describe_rejections(counts) == "12 offered times busy in your calendar, 3 outside working hours, 1 too soon"
    assert describe_rejections(Counter({"too soon": 1})) == "1 offered time too soon"
    assert describe_rejections(Counter()) == "nothing offered"


# -- preferences ----------------------------------------------------------------------------------

def test_preferences_parse_and_refuse_clearly():
    assert parse_hours("09:00-17:30") == (time(9), time(17, 30))
    assert parse_hours("7:00 – 24:00")[1] == time.max
    assert parse_days("mon-fri") == frozenset(range(5)) and parse_days("fri-mon") == {4, 5, 6, 0}
    assert parse_days("Mon, Wed-Thu") == {0, 2, 3} and parse_days("all") == frozenset(range(7))
    assert parse_preferences({"working_hours": "09:00-17:00", "buffer_minutes": 15, "theme": "dark"}) == \
        TeammatePreferences((time(9), time(17)), None, 15)
    assert parse_preferences(None) == TeammatePreferences()
    for bad, words in [({"working_hours": "9 to 5"}, "working hours can't be used"),
                       ({"working_days": "weekdays"}, "working days can't be used"),
                       ({"buffer_minutes": "ten"}, "buffer 'ten' must be a whole number")]:
        with pytest.raises(PreferencesError, match=words):
            parse_preferences(bad)


def test_a_slot_across_the_fall_back_hour_lasts_its_real_length():
    """01:30 EDT + 30 min is 01:00 EST, not 02:00 EST (wall-clock arithmetic would make it 90 minutes)."""
    [slot] = page(date(2026, 11, 1), NY, "1:30am")
    assert slot.duration == HALF_HOUR
    assert slot.interval == Interval(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC))
