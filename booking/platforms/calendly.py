"""Calendly: profile and team pages, the month calendar, the time list, the details form.

What each step looks for (research/platforms.md §1; hooks are a first try, never the only way):

- **Which page**: a profile or team page by its URL shape (``/<user>``, §1.1 [V]); the calendar by
  the table named "Select a Day" or the heading "Select a Date & Time" (§1.2 [V]), hook
  ``[data-testid="calendar"]`` [S]; the details form by the "Schedule Event" button [S] or an e-mail field.
- **People** (team pages): event-type links whose names carry a configured person's name; a
  profile's links are ``/<user>/<event>`` (§1.1 [V]).
- **Days**: buttons in the "Select a Day" table, dated by their names ("Monday, January 6 - Times
  available"; "- No times available" and ``disabled`` when not bookable, §1.2 [V]); month title like
  "January 2025" (hook ``[data-testid="title"]`` [S]); "Go to next month" / "Go to previous month" [V].
- **Times**: controls named by a clock time ("4:00pm", §1.5 [V]) once the list shows the picked day;
  then the inserted "Next 4:00pm" button (§1.2 [V]).
- **Zone**: the "Time zone …" button's name ("Time zone UTC Time (6:29pm)", §1.5 [V]); else the browser's.
- **Form**: fields by label/autocomplete/type (hints: ``full_name``, ``first_name``, ``last_name``,
  ``email`` [S]); the message in the free-text question. **Submit**: "Schedule Event" [S], else the
  form's submit button. **Answer**: "You are scheduled" [S] / a "Confirmed" heading [S]; an alert.
  Calendly confirms on submit.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Iterator
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from booking.browser.page import Page
from booking.browser.semantic import Found, containing, field, hook, label, like, matching, role, starts, text
from booking.domain.errors import PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot
from booking.platforms.base import Invitee, Person, Platform, PlatformOptions, SubmitResult
from booking.platforms.parts.calendar import MONTH_TITLE, DayPicker, DayPickerSpec
from booking.platforms.parts.outcome import await_outcome
from booking.platforms.parts.times import TimeList, TimeListSpec, offered_slots
from booking.platforms.parts.zone import ZONE_CONTROLS, shown_zone
from booking.platforms.widgets import Widget
from booking.platforms.zones import browser_zone

CALENDAR_STEP = (hook('[data-testid="calendar"]', "platforms.md §1.2 [S]"), role("table", "Select a Day"),
                 role("heading", "Select a Date & Time"))
DETAILS_STEP = (role("button", "Schedule Event"), hook('input[name="email"]', "platforms.md §1.2 [S]"),
                label(matching(r"^e-?mail")), field(type="email"))
PICKER = DayPickerSpec(
    container=(role("table", "Select a Day"), role("grid", "Select a Day"), role("table"), role("grid")),
    month_title=(hook('[data-testid="title"]', "platforms.md §1.2 [S]"), text(MONTH_TITLE), role("heading", MONTH_TITLE)),
    next=(role("button", "Go to next month"), role("button", matching(r"^(go to |view )?next( month)?$"))),
    previous=(role("button", "Go to previous month"), role("button", matching(r"^(go to |view )?previous( month)?$"))),
)
TIMES = TimeListSpec()
SUBMIT = (role("button", "Schedule Event"), hook('form button[type="submit"]', "HTML: the form's submit button"))
SCHEDULED = (text(containing("You are scheduled")), role("heading", "Confirmed"))
FORM_HINTS = {"full_name": "name", "first_name": "first_name", "last_name": "last_name", "email": "email"}
RESERVED = {"app", "api", "d", "cancellations", "reschedulings", "login", "signup"}

_SCHEDULED_WITH = re.compile(r"You are scheduled with (?P<host>[^.\n]+?)\.?$")
# The confirmation page's URL is [U] (§7); an invitee UUID in it is taken as the booking's id.
_INVITEE_ID = re.compile(r"/(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)", re.I)
_DURATION = re.compile(r"\b(?P<minutes>\d{1,3})\s*min", re.IGNORECASE)


def _segments(url: str) -> list[str]:
    return [part for part in urlsplit(url).path.split("/") if part]


def is_profile(url: str) -> bool:
    """``calendly.com/<user>``: a profile or team page listing event types (not a booking page)."""
    path = _segments(url)
    return len(path) == 1 and path[0] not in RESERVED


class Calendly(Platform):
    name = "calendly"
    label = "Calendly"
    url_patterns = (
        r"(www\.)?calendly\.com/(?!app/|api/|cancellations/|reschedulings/)[A-Za-z0-9_.-]+(/[A-Za-z0-9_.:+-]+){0,2}/?",
    )
    confirms_on_submit = True
    steps = (("calendar", CALENDAR_STEP), ("details", DETAILS_STEP))
    # The inline embed: widget.js puts an iframe into the container, else its data-url is opened (§1.1 [S]).
    embed_widgets = (Widget(("css selector", ".calendly-inline-widget"), url_attribute="data-url"),)

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.event_url: str | None = None
        self.duration = timedelta(minutes=30)
        self.zone = "UTC"
        self.times = TimeList(page, TIMES)

    # -- open and choose a person -----------------------------------------------------------------
    def open(self, url: str) -> None:
        self.page.goto(url)
        self.event_url = None
        if is_profile(self.page.current_url) and self._shows_profile():
            self.dismiss_consent()
            return
        self.settle()

    def _shows_profile(self) -> bool:
        """Whether a ``/<name>`` page is a profile (its event types' links show) rather than a booking
        page or a startup's own page with the widget (which :meth:`settle` then handles)."""
        others = (*CALENDAR_STEP, *DETAILS_STEP, *(hook(w.locator[1], "embed markup") for w in self.embed_widgets))
        seen = self.page.wait_for(lambda d: "profile" if self._event_links() else self.page.shows(*others) and "other",
                                  "the event types on the profile page (links to /<user>/<event>) or the calendar")
        return seen == "profile"

    def on_ready(self, key: str) -> None:
        if key == "calendar":
            self._on_booking_page()

    def _event_links(self) -> list[Found]:
        """Links to the profile's event types (``/<user>/<event>`` on the same host), in page order."""
        here = urlsplit(self.page.current_url)
        links = []
        for found in self.page.seen_all(role("link")):
            target = urlsplit(found.href or "")
            path = _segments(found.href or "")
            if target.netloc == here.netloc and len(path) == 2 and path[0] not in RESERVED:
                links.append(found)
        return links

    def people(self) -> list[str]:
        """Configured people named on the page's event types; else, on a team page, the event names."""
        if self.event_url is not None:
            return []
        links = self._event_links()
        named = [p for p in self.context.people if any(p.casefold() in link.name.casefold() for link in links)]
        if named:
            return named
        return [link.name for link in links] if len(links) > 1 else []

    def choose_person(self, person: Person) -> bool:
        if self.event_url is not None:
            return False
        wanted = person.name.casefold()
        for link in self._event_links():
            if wanted in link.name.casefold() and link.href:
                self._open_event(link.href)
                return True
        return False

    def _open_event(self, link: str) -> None:
        self.page.goto(link)
        self.settle(widgets=False)
        if self.event_url is None:
            raise PageChanged(self.label, "the calendar of the chosen event type")

    def ensure_booking_page(self) -> None:
        """On a single-host profile page, open its first event type."""
        if self.event_url is None:
            links = self._event_links()
            if not links or not links[0].href:
                raise PageChanged(self.label, "an event type or the calendar")
            self._open_event(links[0].href)

    def _on_booking_page(self) -> None:
        parts = urlsplit(self.page.current_url)
        self.event_url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        match = _DURATION.search(self.page.visible_text())
        if match:
            self.duration = timedelta(minutes=int(match.group("minutes")))
        preferred = [z for z in (self.options.timezone, self.page.timezone) if z]
        self.zone = shown_zone(self.page, preferred or [browser_zone(self.page)],
                               (role("button", starts("Time zone")), *ZONE_CONTROLS), now=self.context.clock())

    # -- slots ------------------------------------------------------------------------------------
    def _picker(self, today: date) -> DayPicker:
        return DayPicker(self.page, PICKER, today)

    def _times_of(self, picker: DayPicker, day: date) -> list[tuple[str, time]]:
        before = self.times.ids()
        picker.select(day)
        return [(c.label, c.clock) for c in self.times.for_day(day, before)]

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self.ensure_booking_page()
        today = window.start.astimezone(ZoneInfo(self.zone)).date()
        yield from offered_slots(self._picker(today), self._times_of, window, self.zone, self.duration)

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, label_text = slot.ref
        if not self.page.shows(*CALENDAR_STEP):
            query = urlencode({"month": f"{day:%Y-%m}", "date": day.isoformat()})  # §1.1 [V]
            self.page.goto(f"{self.event_url}?{query}")
            self.settle(widgets=False)
        picker = self._picker(day)
        offered = self._times_of(picker, day)
        if not any(text_ == label_text for text_, _ in offered):
            raise SlotTaken(f"{label_text} on {day:%A, %B} {day.day} is no longer offered")
        wall = next(clock for text_, clock in offered if text_ == label_text)
        target = self.times.pick(label_text, wall)
        if target is None:
            raise SlotTaken(f"{label_text} on {day:%A, %B} {day.day} is no longer offered")
        self.page.click(target.element, f"the time {label_text}")
        self.page.click((role("button", like(f"Next {label_text}")), role("button", starts("Next"))),
                        f"the Next button for {label_text}")
        self.page.seen(*DETAILS_STEP, what="the details form")

    # -- form and submit --------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        self.page.seen(*DETAILS_STEP, what="the details form")
        self.fill_form(invitee, message, hints=FORM_HINTS)

    def submit(self) -> SubmitResult:
        self.page.click(SUBMIT, "the Schedule Event button")
        outcome = await_outcome(self.page, [("confirmed", SCHEDULED)], "the confirmation page")
        if outcome.kind == "error":
            if "no longer available" in outcome.text.lower() or "not available" in outcome.text.lower():
                raise SlotTaken(f"Calendly said: {outcome.text}")
            raise PageChanged(self.label, f"a confirmation (the page said {outcome.text!r})")
        host = None
        for line in self.page.seen_all(text(starts("You are scheduled with"))):
            host = _SCHEDULED_WITH.search(line.text) or host
        invitee_id = _INVITEE_ID.search(self.page.current_url)  # the confirmation URL's shape is [U]: a bonus
        return SubmitResult(
            confirmed=True,
            external_booking_id=invitee_id.group("uuid") if invitee_id else None,
            host_name=host.group("host").strip() if host else None,
            summary=f"You are scheduled with {host.group('host').strip()}." if host else "You are scheduled",
            status_url=self.page.current_url,
        )
