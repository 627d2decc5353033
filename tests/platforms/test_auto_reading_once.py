"""Auto reads answers, times and dates once for every page (no browser): a month-less day is read near the
page's first shown day or not at all, one clock reader serves the platforms' time lists and auto's, a
page's answer counts once two readings agree (one poll more, no more), and a time list's readiness rules
are the same code for a page that names its day and one that never does."""
from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from booking.browser.semantic import Found
from booking.domain.errors import PageChanged
from booking.platforms.auto_answers import AnswerReader
from booking.platforms.auto_dates import Times, dated_clock
from booking.platforms.auto_reading import dates_of, weekday_and_day
from booking.platforms.parts.times import TimeList

MONDAY = date(2026, 11, 30)


# -- a day named without its month --------------------------------------------------------------------------

def test_a_monthless_day_is_the_nearest_on_or_after_the_first_shown_day():
    first = date(2026, 12, 2)                                                   # Wed 2 Dec is shown first
    assert weekday_and_day("Tue 8", MONDAY, first) == date(2026, 12, 8)
    assert weekday_and_day("Tue 12", MONDAY, first) == date(2027, 1, 12)        # Sat 12 Dec: the next that fits
    assert weekday_and_day("Tue 1", MONDAY, first) is None                      # Tue 1 Dec is before it; next: Jun
    assert weekday_and_day("Sun 28", MONDAY, first) is None                     # Feb 2027: months ahead, not guessed
    assert weekday_and_day("Friday 4th", date(2026, 12, 6)) == date(2026, 12, 4)  # no first day: this week's


def test_a_list_reads_its_monthless_days_after_its_first_shown_day():
    words = ["Select a date", "Wed, December 2", "Tue 8", "Tue 1", "Sun 28"]
    assert dates_of(words, MONDAY) == [(date(2026, 12, 2), "Wed, December 2"), (date(2026, 12, 8), "Tue 8")]
    # a list with no month at all: its first day is read near today, the rest on or after it
    assert [d for d, _ in dates_of(["Fri 4", "Mon 7", "Fri 1"], MONDAY)] == [date(2026, 12, 4), date(2026, 12, 7),
                                                                             date(2027, 1, 1)]


# -- one clock reader ---------------------------------------------------------------------------------------

class Element:
    def __init__(self, ident: str) -> None:
        self.id = ident


def found(name: str, ident: str | None = None, **more: Any) -> Found:
    return Found(Element(ident or name), name=name, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize("name, clock, label", [
    ("9:30 AM", time(9, 30), "9:30 AM"), ("14.30", time(14, 30), "14.30"), ("2pm", time(14), "2pm"),
    ("09:30–10:00", time(9, 30), "09:30"), ("14h30", time(14, 30), "14h30"), ("12:15 a.m.", time(0, 15), "12:15 a.m."),
])
def test_the_platforms_time_list_and_autos_read_a_clock_alike(name, clock, label):
    for reader in (TimeList(None), Times(None)):  # type: ignore[arg-type]
        [choice] = reader._choices([found(name)])
        assert (choice.clock, choice.label) == (clock, label), type(reader).__name__


def test_only_auto_reads_a_slot_named_with_its_day_and_counts_it_for_that_day_only():
    slots = [found("Tue 1 Dec 2pm"), found("Tue 1 Dec 14h30"), found("Wed 2 Dec 10:00"), found("10:00", disabled=True)]
    times = Times(None, day=date(2026, 12, 1))  # type: ignore[arg-type]
    assert [(c.clock, c.label) for c in times._choices(slots)] == [(time(14), "Tue 1 Dec 2pm"),
                                                                  (time(14, 30), "Tue 1 Dec 14h30")]
    assert TimeList(None)._choices(slots) == []  # type: ignore[arg-type]
    assert dated_clock("Mon 7 Amsterdam office", MONDAY) is None  # "7 Am…" is no clock


# -- a page polled through a script of readings ---------------------------------------------------------------

class ScriptedPage:
    """Each poll answers with the next reading; a wait that runs out of readings times out as a page does."""

    def __init__(self, readings: list[Any]) -> None:
        self.readings = list(readings)
        self.polls = 0

    def ask(self, *queries: Any) -> Any:
        self.polls += 1
        return self.readings[min(self.polls, len(self.readings)) - 1]

    def wait_for(self, condition: Callable[[Any], Any], what: str, timeout: float | None = None) -> Any:
        while self.polls < len(self.readings):
            result = condition(None)
            if result:
                return result
        raise PageChanged("page", what)


def shown(*names: str, url: str = "", text: str = "", empty: bool = False) -> tuple[Any, ...]:
    """One reading of a time list: not busy, the page's address and text, the time controls, a "no times"."""
    return (False, SimpleNamespace(url=url, text=text), [found(n) for n in names], [object()] if empty else [])


def test_a_list_that_names_its_day_is_ready_at_once_on_either_reader():
    for reader in (TimeList, Times):
        page = ScriptedPage([shown("9:00", "9:30", text="Times on December 2")])
        assert [c.label for c in reader(page).for_day(date(2026, 12, 2), frozenset())] == ["9:00", "9:30"]
        assert page.polls == 1


def test_a_page_that_never_names_its_day_is_believed_on_its_last_reading_of_that_day():
    day, again = date(2026, 12, 2), [shown("9:00")] * 3
    times = Times(ScriptedPage(again))  # type: ignore[arg-type]
    assert [c.label for c in times.for_day(day, frozenset())] == ["9:00"]  # a new list, steady over three readings
    times.page = ScriptedPage(again)  # the same day chosen again shows the same list: no grace to wait out
    assert [c.label for c in times.for_day(day, frozenset({"9:00"}))] == ["9:00"]
    with pytest.raises(PageChanged):  # a platform's list names its days: the same list unnamed is not believed
        TimeList(ScriptedPage(again)).for_day(day, frozenset({"9:00"}))  # type: ignore[arg-type]


def test_a_stale_no_times_sentence_is_believed_only_where_days_go_unnamed():
    day, stale = date(2026, 12, 2), [shown(empty=True)] * 3
    assert Times(ScriptedPage(stale)).for_day(day, frozenset()) == []  # type: ignore[arg-type]
    with pytest.raises(PageChanged):  # a platform's page names the day it has no times for
        TimeList(ScriptedPage(stale)).for_day(day, frozenset())  # type: ignore[arg-type]


# -- the page's answer, read until it holds -------------------------------------------------------------------

def reader_reading(readings: list[tuple[str, str] | None]) -> tuple[AnswerReader, ScriptedPage]:
    page = ScriptedPage(readings)
    reader = AnswerReader(page)  # type: ignore[arg-type]
    reader.read = lambda sent, before, codes=True: page.ask()  # type: ignore[method-assign]
    return reader, page


def test_a_confirmation_counts_at_once_and_a_refusal_costs_one_extra_poll():
    reader, page = reader_reading([("confirmed", "You're booked!")] * 5)
    assert reader.wait(None, "") == ("confirmed", "You're booked!")  # type: ignore[arg-type]
    assert page.polls == 1
    reader, page = reader_reading([("error", "That time is taken.")] * 5)
    assert reader.wait(None, "") == ("error", "That time is taken.")  # type: ignore[arg-type]
    assert page.polls == 2


def test_a_stale_answer_flashed_while_the_page_redraws_is_not_taken():
    flash = ("error", "Sorry, that time was just taken.")
    reader, page = reader_reading([None, flash, None, ("confirmed", "You're booked!")])
    assert reader.wait(None, "") == ("confirmed", "You're booked!")  # type: ignore[arg-type]
    reader, page = reader_reading([flash, None])
    with pytest.raises(PageChanged):  # a refusal read once, then gone, is no answer
        reader.wait(None, "")  # type: ignore[arg-type]
