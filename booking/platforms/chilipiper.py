"""Chili Piper: booking links and concierge routers — a guest form, a "Schedule a meeting" choice, a
week of days, the times, a confirm (or review) step and the booked screen, in whichever order the page
shows them.

What each step looks for (research/platforms.md §4; hooks are a first try, never the only way):

- **Which page** (``open``): the guest form by its e-mail field (hook ``input[name="Email"]``, §4.2
  [S]; else a field labelled like "e-mail" or typed ``email``); the concierge's choice (below); the week
  calendar by its day buttons (below). Whichever shows first decides the order: a form before any time
  (a router, §4.2 [S]) sets ``asks_details_first``; a calendar first (a booking link) leaves the form
  for after the time.
- **Guest form**: fields by label/autocomplete/type, hints ``FirstName``/``LastName``/``Email``/``Phone``
  (§4.2 [S]); the message in the free-text field, or booked without one (a form may have none).
  **Send**: ``[data-test-id="GuestForm-submit-button"]`` or ``button[type="submit"]`` (§4.2 [S]), else a
  button named like "Submit"/"Continue".
- **Choice**: ``[data-test-id="ConciergeLiveBox-book"]``/``[data-id="concierge-live-book"]`` (§4.2 [S]),
  else the button "Schedule a meeting" [S].
- **Days**: ``[data-id="calendar-day-button"]`` (§4.2 [S]), else buttons named like "Monday 27th
  October Press enter to navigate available slots" [S], dated by that name, disabled when empty [S];
  selected when pressed or named "… is selected" [S]; the selected date in
  ``[data-id="selected-day-info"]`` [S] or a heading/text naming it. "Next week":
  ``[data-id="next-week-button"]`` [S], else the button of that name.
- **Times**: ``[data-id="time-slot-button"]`` ("9:30 AM", §4.2 [S]) and any control named by a clock time.
- **Zone**: the control or text naming a zone with the current time ("Central Daylight Time (02:34
  PM)", §4.5 [S]), resolved preferring the teammate's and the URL's ``timezone=`` (§4.1 [V]).
- **Confirm step** (§4.2: [U], no public source): what a person sees — the details form (when it comes
  after the time) and a button that books ("Confirm", "Book meeting", "Confirm meeting"); back to the
  calendar by a button like "Back" / "Change time" / "Pick a different time".
- **Answer** ([U]): a heading saying the meeting is booked/scheduled/confirmed; an alert otherwise.
  Booking is instant (§4.3 [S]); the host is read from the screen's words.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Iterator
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser.page import Page
from booking.browser.semantic import Found, Way, describe, field, hook, label, matching, role, text
from booking.domain.errors import PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot, localize
from booking.platforms.base import Invitee, Platform, PlatformOptions, SubmitResult
from booking.platforms.parts.calendar import DayPicker, DayPickerSpec, date_in
from booking.platforms.parts.loading import is_busy
from booking.platforms.parts.outcome import ALERTS, await_outcome
from booking.platforms.parts.times import TIME_CONTROLS, TimeList, TimeListSpec
from booking.platforms.parts.zone import ZONE_CONTROLS, shown_zone
from booking.platforms.widgets import Widget
from booking.platforms.zones import browser_zone

_S = "platforms.md §4.2 [S]"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"

GUEST_FORM = (hook('input[name="Email"]', _S), label(matching(r"e-?mail")), field(type="email"),
              field(autocomplete="email"))
GUEST_SEND = (hook('[data-test-id="GuestForm-submit-button"]', _S), hook('form button[type="submit"]', _S),
              role("button", matching(r"^(submit|continue|next|get started)\b")))
CHOICE = (hook('[data-test-id="ConciergeLiveBox-book"], [data-id="concierge-live-book"]', _S),
          role("button", "Schedule a meeting"), role("button", matching(r"^schedule( a)? (meeting|time|call)$")),
          role("link", matching(r"^schedule( a)? (meeting|time|call)$")))
DAYS = (hook('[data-id="calendar-day-button"], [data-id="calendar-day-button-selected"]', _S),
        role("button", matching(rf"^{_WEEKDAY},? (\d{{1,2}}(st|nd|rd|th)? {_MONTH}|{_MONTH} \d{{1,2}})")))
DAY_INFO = (hook('[data-id="selected-day-info"]', _S),
            role("heading", matching(rf"^{_WEEKDAY},? ({_MONTH} \d{{1,2}}|\d{{1,2}}(st|nd|rd|th)? {_MONTH})")),
            text(matching(rf"^{_WEEKDAY},? ({_MONTH} \d{{1,2}}|\d{{1,2}}(st|nd|rd|th)? {_MONTH})(,? \d{{4}})?$")))
PICKER = DayPickerSpec(
    days=DAYS, container=(), weekly=True,
    next=(hook('[data-id="next-week-button"]', _S), role("button", matching(r"^(go to |view |show )?next( week)?$"))),
    previous=(role("button", matching(r"^(go to |view |show )?previous( week)?$")),),
)
TIMES = TimeListSpec(controls=(hook('[data-id="time-slot-button"]', _S), *TIME_CONTROLS))
_ZONE_WORDS = r"^[a-z][a-z .'/-]*\btime\b.*\(\s*\d{1,2}:\d{2}\s*([ap]\.?m\.?)?\s*\)"
ZONE = (role("button", matching(_ZONE_WORDS)), role("combobox", matching(_ZONE_WORDS)), text(matching(_ZONE_WORDS)),
        *ZONE_CONTROLS)
BOOK = (role("button", matching(r"^(confirm|book|schedule)( (the |this |my )?(meeting|time|call|booking|now))?$")),)
BACK = (role("button", matching(r"^(back|go back|change( the)? time|(pick|choose|select) (a )?(different|another)"
                                r"( time)?)$")), role("link", matching(r"^(back|change( the)? time)$")))
BOOKED = (role("heading", matching(r"\b(booked|scheduled|confirmed)\b")),
          text(matching(r"\b(meeting|call|booking) (is|has been) (booked|scheduled|confirmed)\b")))
# A time gone meanwhile, as pages say it ("no longer available", "someone just booked that time"); an
# alert may only ask to "choose another one". Not a button's "Pick a different time": texts say more.
_GONE = r"no longer (available|free|open)|(already|just) (been )?(booked|taken)|someone( else)? (just )?(booked|took)"
ERRORS = (*ALERTS, text(matching(_GONE)))
FORM_HINTS = {"FirstName": "first_name", "LastName": "last_name", "Email": "email", "Phone": "phone"}
CALENDAR_STEP = (*DAYS, *PICKER.next)

_DURATION = re.compile(r"\b(?P<minutes>\d{1,3})\s*min", re.I)
_NAME = r"(?P<host>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)+)"
_HOST = (re.compile(rf"\b(?:meeting|call|time) with {_NAME}"), re.compile(rf"{_NAME} will (?:meet|see|call) you"))
_SELECTED = re.compile(r"\bis selected\b|\(selected\)", re.I)
_TAKEN = re.compile(_GONE + r"|not available|(choose|pick|select) (a different|another) (time|one|slot)", re.I)


class ChiliPiper(Platform):
    name = "chilipiper"
    label = "Chili Piper"
    url_patterns = (
        r"(?!www\.|help\.|api\.|app\.|fire\.)[a-z0-9-]+(\.na)?\.chilipiper\.com/"
        r"(book/(me/)?(?!reschedule/?$)[A-Za-z0-9_.-]+|me/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?"
        r"|concierge-router/(link/)?[A-Za-z0-9_.-]+)/?",
    )
    confirms_on_submit = True
    steps = (("guest", GUEST_FORM), ("choice", CHOICE), ("calendar", CALENDAR_STEP))
    # The concierge router opens inside an iframe titled so on the startup's own page (§4.1 [V])
    embed_widgets = (Widget(("css selector", 'iframe[title="Schedule a time | Chili Piper"]'), frame=""),)

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.asks_details_first = False   # learned in ``open``: the page's first step is the form
        self.zone: str | None = None
        self.duration = timedelta(minutes=30)
        self.times = TimeList(page, TIMES)
        self._slot_chosen = False

    # -- which step -------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        self.zone, self._slot_chosen = None, False
        super().open(url)

    def on_ready(self, key: str) -> None:
        self.asks_details_first = key == "guest"
        if key == "calendar":
            self._on_calendar()

    def _alerts(self) -> set[str]:
        return {words for a in self.page.seen_all(*ALERTS) if (words := (a.text or a.name).strip())}

    def _which(self, keyed: list[tuple[str, tuple[Way, ...]]], what: str,
               shown_before: set[str] | frozenset[str] = frozenset()) -> tuple[str, Found]:
        """Wait until one of the keyed steps shows; a new alert with words ends the wait (the page's
        answer), one ``shown_before`` the action that led here does not."""
        ways = [way for _, group in keyed for way in group]
        keys = [key for key, group in keyed for _ in group]

        def shown(driver: WebDriver) -> tuple[str, Found | str] | bool:
            found = self.page.seen_all(*ways)
            if found:
                return keys[found[0].way], found[0]
            fresh = self._alerts() - set(shown_before)
            return ("alert", sorted(fresh)[0]) if fresh else False

        key, found = self.page.wait_for(shown, f"{what} ({describe(ways)})")
        if isinstance(found, str):  # an alert's words
            if _TAKEN.search(found):
                raise SlotTaken(f"Chili Piper said: {found}")
            raise PageChanged(self.label, f"{what} (the page said {found!r})")
        return key, found

    def _to_calendar(self, what: str = "the week calendar", shown_before: set[str] | None = None) -> None:
        """Bring the week calendar up: take the concierge's "Schedule a meeting", or go back from a
        confirm step."""
        before = self._alerts() if shown_before is None else shown_before
        for _ in range(3):
            key, found = self._which([("calendar", CALENDAR_STEP), ("choice", CHOICE), ("back", BACK)], what, before)
            if key == "calendar":
                self._on_calendar()
                return
            self.page.click(found.element, "the Schedule a meeting button" if key == "choice" else "the Back button")
            self.page.wait_for(lambda d: not self.page.shows(*(CHOICE if key == "choice" else BACK)),
                               f"the page to leave {found.name!r}")
        raise PageChanged(self.label, what)

    def _on_calendar(self) -> None:
        """Read what the times need: the shown zone and the meeting's length (once per page)."""
        if self.zone is not None:
            return
        match = _DURATION.search(self.page.visible_text())
        if match:
            self.duration = timedelta(minutes=int(match.group("minutes")))
        url_zone = parse_qs(urlsplit(self.page.current_url).query).get("timezone", [""])[0]
        preferred = [z for z in (self.options.timezone, self.page.timezone, url_zone) if z]
        self.zone = shown_zone(self.page, preferred or [browser_zone(self.page)], ZONE)

    # -- the guest form ---------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        self.page.seen(*GUEST_FORM, what="the guest form")
        self.fill_form(invitee, message, hints=FORM_HINTS)
        if self._slot_chosen:
            return  # the form of the confirm step: ``submit`` books with it
        before = self._alerts()
        self.page.click(GUEST_SEND, "the guest form's submit button")
        self._to_calendar("the calendar after the guest form", before)

    # -- slots ------------------------------------------------------------------------------------
    def _picker(self, today: date) -> DayPicker:
        return DayPicker(self.page, PICKER, today, "the week calendar's days")

    def _day_shown(self, day: date) -> bool:
        """The day's button reads selected, the page isn't loading, and any selected-date line names it."""
        if is_busy(self.page):
            return False
        today = day - timedelta(days=1)
        selected = [f for f in self.page.seen_all(*DAYS) if f.selected or _SELECTED.search(f.name)]
        if not any((date_in(f.name, None, today) or date_in(f.text, None, today)) == day for f in selected):
            return False
        info = self.page.seen_all(*DAY_INFO)
        return not info or any(date_in(f.text or f.name, None, today) == day for f in info)

    def _times_of(self, picker: DayPicker, day: date) -> list[tuple[str, time]]:
        before = self.times.ids()
        picker.select(day)
        self.page.wait_for(lambda d: self._day_shown(day), f"{day:%A %-d %B} to be selected")
        return [(c.label, c.clock) for c in self.times.for_day(day, before)]

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self._to_calendar()
        zone = ZoneInfo(self.zone or "UTC")
        first_day = window.start.astimezone(zone).date()
        last_day = (window.end - timedelta(microseconds=1)).astimezone(zone).date()  # the end is exclusive
        picker = self._picker(first_day)
        for day in picker.bookable_days(first_day, last_day):
            for label_text, wall in self._times_of(picker, day):
                start = localize(day, wall, zone.key)
                yield OfferedSlot.lasting(start, self.duration, label_text, ref=(day, label_text))

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, label_text = slot.ref
        self._to_calendar()
        picker = self._picker(day)
        offered = dict(self._times_of(picker, day))
        target = self.times.pick(label_text, offered[label_text]) if label_text in offered else None
        if target is None:
            raise SlotTaken(f"{label_text} on {day:%a %-d %b} is no longer offered on Chili Piper")
        before = self._alerts()
        self.page.click(target.element, f"the time {label_text}")
        self._slot_chosen = True
        self._which([("book", BOOK), ("form", GUEST_FORM)], "the confirm step", before)

    # -- confirm ----------------------------------------------------------------------------------
    def submit(self) -> SubmitResult:
        self.page.click(BOOK, "the button that books the meeting")
        outcome = await_outcome(self.page, [("booked", BOOKED)], "the booked screen", ERRORS)
        if outcome.kind == "error":
            if _TAKEN.search(outcome.text):
                raise SlotTaken(f"Chili Piper said: {outcome.text}")
            raise PageChanged(self.label, f"a confirmation (the page said {outcome.text!r})")
        host = self._host(self.page.visible_text())
        return SubmitResult(
            confirmed=True, host_name=host,
            summary=f"Booked with {host}." if host else "Booked.",
            status_url=self.page.current_url,
        )

    def _host(self, words: str) -> str | None:
        """Who the screen says the meeting is with: its own phrase, else a configured person it names."""
        for pattern in _HOST:
            match = pattern.search(words)
            if match:
                return match.group("host").strip().rstrip(".")
        return next((p for p in self.context.people if p.casefold() in words.casefold()), None)
