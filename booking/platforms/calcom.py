"""Cal.com: profile and team pages, the booker (month, time column, same-page form), the success page.

What each step looks for (research/platforms.md §2; hooks are a first try, never the only way):

- **Which page**: a profile ``/<user>`` or team page ``/team/<team>`` by its URL shape (§2.1 [V]); its
  event types by hook ``[data-testid="event-type-link"]`` [V], else links one path segment deeper
  (``/<user>/<slug>``, ``/team/<team>/<slug>``, §2.1 [V]). The calendar by hook ``button[data-testid="day"]``
  or ``incrementMonth`` [V], else the "View next month" / "View previous month" buttons (§2.2 [V]); the form
  by hook ``confirm-book-button`` [V], else the "Confirm" button or the "Email address" field (§2.2 [V]).
  On a startup's page: the widget's iframe by its URL (``<link>/embed?embed=<ns>…&embedType=inline``, §2.1
  [V]), else a ``data-cal-link`` trigger's link (§2.1 [S]).
- **People** (team pages): links to members' profiles (``/<user>`` on the same host, §2.1 [V]); when
  none shows, the button or tab named like "Book a team member" that reveals them (what the page says;
  not in platforms.md, so only ever a way to reveal links found by their URL shape).
- **Duration**: the event meta's "30m" (§2.2 [V: DS]). **Zone**: the "Timezone Select" combobox's chosen
  zone (§2.5 [V]), else a generic time zone control, else the browser's.
- **Days**: hook ``button[data-testid="day"]`` [V], else buttons named by their day number under the month
  title "December 2026" (``<strong>December</strong> 2026``, §2.2); month buttons by hook
  ``incrementMonth``/``decrementMonth`` [V], else "View next month"/"View previous month" [V].
- **Times**: hook ``button[data-testid="time"]`` [V] and any control named by a clock time ("2:00pm",
  "14:00", §2.2 [V]) once the list shows the picked day (``date=`` in the URL, §2.1 [V]). The instant is
  its ``data-time`` (UTC, §2.2 [V]); without one, the clock text in the page's zone.
  ``data-disabled="true"`` [V] is taken.
- **Form**: fields by label/autocomplete/type, with the documented names as hints (``name``, ``email``,
  ``notes``, ``attendeePhoneNumber``, §2.2 [V]); the message in "Additional notes". **Submit**: hook
  ``confirm-book-button`` [V], else the "Confirm" button [V].
- **Answer**: the headline (hook ``#modal-headline`` in ``[data-testid="success-page"]`` [V], else a
  heading or text) "This meeting is scheduled" (accepted) or "Your booking has been submitted" (pending,
  §2.2 [V]); errors in hook ``booking-fail`` [V] or an alert. Host: hook ``booking-host-name`` [V], else
  "<Host> still needs to confirm" [S], else the name the "Who" section tags "Host" (what the page reads).
  The booking's uid from ``/booking/<uid>`` (§2.2 [V]).

With ``PlatformOptions.api_fast_path`` slots come from ``GET /v2/slots`` and the booking from
``POST /v2/bookings`` (:mod:`booking.platforms.calcom_api`); any API failure but "slot taken" falls back
to the page. :meth:`CalCom.booking_status` serves the confirmation monitor.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from datetime import date, datetime, timedelta
from typing import Iterator
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from selenium.common.exceptions import StaleElementReferenceException

from booking.browser.page import Page
from booking.browser.semantic import Found, hook, label, matching, role, starts, text
from booking.domain.errors import PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot, SlotParseError, localize, parse_iso
from booking.platforms import calcom_api
from booking.platforms.base import Invitee, Person, Platform, PlatformOptions, RemoteBookingStatus, SubmitResult
from booking.platforms.calcom_api import (
    API_BASE, RESERVED, RESERVED_PATHS, SLOT_TAKEN_WORDS, CalComApi, is_listing, segments, utc_text,
)
from booking.platforms.http import HttpClient
from booking.platforms.parts.calendar import MONTH_TITLE, DayPicker, DayPickerSpec
from booking.platforms.parts.outcome import await_outcome
from booking.platforms.parts.times import TIME_CONTROLS, TimeChoice, TimeList, TimeListSpec
from booking.platforms.parts.zone import ZONE_CONTROLS, zone_from_words
from booking.platforms.widgets import Widget
from booking.platforms.zones import browser_zone

__all__ = ["CalCom", "parse_duration", "utc_text"]
log = logging.getLogger(__name__)

DAY_HOOK = hook('button[data-testid="day"]', "platforms.md §2.2 [V]")
NEXT_MONTH = (hook('[data-testid="incrementMonth"]', "platforms.md §2.2 [V]"), role("button", "View next month"))
PREVIOUS_MONTH = (hook('[data-testid="decrementMonth"]', "platforms.md §2.2 [V]"),
                  role("button", "View previous month"))
CALENDAR_STEP = (DAY_HOOK, *NEXT_MONTH, PREVIOUS_MONTH[1])
CONFIRM = (hook('[data-testid="confirm-book-button"]', "platforms.md §2.2 [V]"), role("button", "Confirm"))
FORM_STEP = (*CONFIRM, label(starts("Email address")))
BACK = (hook('[data-testid="back"]', "platforms.md §2.2 [V]"), role("button", "Back"))
PICKER = DayPickerSpec(
    days=(DAY_HOOK, role("button", matching(r"^\d{1,2}(\s|$)"))),  # "3", "1 today" (§2.2 [V])
    container=(),  # the month's buttons are named by their number alone: no grid needed to tell them apart
    month_title=(text(MONTH_TITLE), role("heading", MONTH_TITLE), role("grid", MONTH_TITLE)),
    next=(*NEXT_MONTH, *DayPickerSpec.next),
    previous=(*PREVIOUS_MONTH, *DayPickerSpec.previous),
)
TIMES = TimeListSpec(controls=(hook('button[data-testid="time"]', "platforms.md §2.2 [V]"), *TIME_CONTROLS))
ZONE = (role("combobox", "Timezone Select"), *ZONE_CONTROLS)
CHOSEN_OPTION = dataclasses.replace(role("option", selected=True), hidden=True)  # inside a closed <select>
DURATION = text(matching(r"^(?=\d)(\d{1,2}\s*h(rs?|ours?)?)?\s*(\d{1,3}\s*m(in(ute)?s?)?)?$"))
EVENT_LINK_HOOK = hook('[data-testid="event-type-link"]', "platforms.md §2.1 [V]")
_MEMBERS = matching(r"team members?|^members$")
REVEAL_MEMBERS = (role("button", _MEMBERS), role("tab", _MEMBERS))
SCHEDULED = "This meeting is scheduled"
SUBMITTED = "Your booking has been submitted"
_HEADLINES = matching(r"this meeting is scheduled|your booking has been submitted")
HEADLINE = (hook('[data-testid="success-page"] #modal-headline:not(:empty)', "platforms.md §2.2 [V]"),
            role("heading", _HEADLINES), text(_HEADLINES))
ERRORS = (hook('[data-testid="booking-fail"]', "platforms.md §2.2 [V]"), role("alert"))
HOST_HOOK = hook('[data-testid="booking-host-name"]', "platforms.md §2.2 [V]")
FORM_HINTS = {"name": "name", "email": "email", "notes": "message", "attendeePhoneNumber": "phone"}

_DURATION = re.compile(r"^\s*(?:(?P<h>\d{1,2})\s*h(?:rs?|ours?)?)?\s*(?:(?P<m>\d{1,3})\s*m(?:in(?:ute)?s?)?)?\s*$", re.I)
_UID = re.compile(r"/booking/(?P<uid>[A-Za-z0-9_-]+)")
NEEDS_TO_CONFIRM = text(matching(r"\S still needs to confirm"))
_WHO_HOST = re.compile(r"\bWho\s+(?P<host>[^.\n]+?)\s+Host\b")
# The [V] hooks a time control may carry: its UTC instant and whether it is taken.
_TIME_ATTRIBUTES_JS = "return arguments[0].map(e => [e.getAttribute('data-time'), e.getAttribute('data-disabled')]);"


def parse_duration(words: str) -> timedelta | None:
    """"30m", "1h", "1h 30m", "45 mins" → a length; None for anything else."""
    match = _DURATION.match(words or "")
    if not match or not (match.group("h") or match.group("m")):
        return None
    return timedelta(hours=int(match.group("h") or 0), minutes=int(match.group("m") or 0))


class CalCom(Platform):
    name = "calcom"
    label = "Cal.com"
    url_patterns = (
        rf"(www\.|app\.)?cal\.com/{RESERVED_PATHS}[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+){{0,2}}/?",
        rf"(?!api\.|docs\.|www\.|app\.)[a-z0-9-]+\.cal\.com/{RESERVED_PATHS}[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+){{0,2}}/?",
    )
    confirms_on_submit = True  # per booking: an opt-in event type answers SubmitResult(confirmed=False)
    steps = (("calendar", CALENDAR_STEP), ("form", FORM_STEP))
    embed_widgets = (
        # Cal("inline", …) puts an iframe of <link>/embed?embed=<ns>&…&embedType=inline into the page (§2.1 [V])
        Widget(("css selector", 'iframe[src*="/embed?embed="], iframe[src*="embedType="]'), frame=""),
        # a pop-up trigger: follow its link (data-cal-origin, else app.cal.com; §2.1 [S])
        Widget(("css selector", "[data-cal-link]"), frame=None, url_attribute="data-cal-link",
               base_attribute="data-cal-origin", default_base="https://app.cal.com"),
    )

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.event_url: str | None = None
        self.duration = timedelta(minutes=30)
        self.zone = "UTC"
        self.times = TimeList(page, TIMES)
        self.use_api = bool(self.options.api_fast_path and self.options.http)
        self._api_slot: OfferedSlot | None = None
        self._api_details: tuple[Invitee, str] | None = None

    # -- the confirmation monitor's entry points --------------------------------------------------
    @classmethod
    def api_base_for(cls, page_url: str) -> str:
        return calcom_api.api_base_for(page_url)

    @classmethod
    def booking_status(cls, uid: str, http: HttpClient, api_base: str = API_BASE) -> RemoteBookingStatus:
        """``GET /v2/bookings/{uid}``; raises PlatformApiError when the API can't say."""
        return calcom_api.booking_status(uid, http, api_base)

    @classmethod
    def remote_status(cls, external_id: str, page_url: str, http: HttpClient) -> RemoteBookingStatus | None:
        return cls.booking_status(external_id, http, cls.api_base_for(page_url))

    # -- open and choose a person -----------------------------------------------------------------
    def open(self, url: str) -> None:
        self.page.goto(url)
        self._arrive(widgets=True)

    def _arrive(self, widgets: bool) -> None:
        """Wait for what the page shows: a profile or team page's links, else a booker step."""
        self.event_url = None
        if not is_listing(self.page.current_url):
            self.settle(widgets=widgets)
            return
        self.dismiss_consent()
        step_ways = [way for _, ways in self.steps for way in ways]
        shown = self.page.wait_for(
            lambda d: "listing" if self._event_links() or self._member_links() else
            "step" if self.page.shows(*step_ways) else False,
            "the event types on the profile or team page (links to /<user>/<event>)")
        if shown == "step":  # a booker served on a short URL
            self.settle(widgets=False)

    def on_ready(self, key: str) -> None:
        if key in ("calendar", "form"):
            self._on_booker()

    def _on_booker(self) -> None:
        parts = urlsplit(self.page.current_url)
        self.event_url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        for found in self.page.seen_all(DURATION):
            length = parse_duration(found.text)
            if length:
                self.duration = length
                break
        self.zone = self._shown_zone()

    def _shown_zone(self) -> str:
        """The zone the booker shows times in: the Timezone Select's choice (§2.5 [V]), else the browser's."""
        preferred = [z for z in (self.options.timezone, self.page.timezone) if z] or [browser_zone(self.page)]
        for found in self.page.seen_all(*ZONE):
            chosen = [o.name for o in self.page.seen_all(CHOSEN_OPTION, within=found.element)]
            for words in (*chosen, found.value or "", found.text, found.name):
                zone = zone_from_words(self.page, words, preferred)
                if zone:
                    return zone
        return browser_zone(self.page)

    def _links(self) -> list[tuple[Found, list[str]]]:
        here = urlsplit(self.page.current_url).netloc
        return [(f, segments(f.href or "")) for f in self.page.seen_all(role("link"))
                if f.href and urlsplit(f.href).netloc == here]

    def _event_links(self) -> list[Found]:
        """The listing's event types: the [V] hook, else links one segment below this page (§2.1 [V])."""
        hooked = [f for f in self.page.seen_all(EVENT_LINK_HOOK) if f.href]
        if hooked:
            return hooked
        base = segments(self.page.current_url)
        return [f for f, path in self._links() if len(path) == len(base) + 1 and path[:len(base)] == base]

    def _member_links(self) -> list[Found]:
        """On a team page, links to members' profiles (``/<user>``, §2.1 [V])."""
        if segments(self.page.current_url)[:1] != ["team"]:
            return []
        return [f for f, path in self._links() if len(path) == 1 and path[0] not in RESERVED and f.name]

    def people(self) -> list[str]:
        """The members a team page lets the invitee pick (revealed first if hidden); [] elsewhere."""
        if self.event_url is not None or segments(self.page.current_url)[:1] != ["team"]:
            return []
        if not self._member_links():
            reveal = self.page.seen_all(*REVEAL_MEMBERS)
            if not reveal:
                return []
            self.page.click(reveal[0].element, "the Book a team member control")
            self.page.wait_for(lambda d: self._member_links(), "the team's members (links to their profiles)")
        return [f.name for f in self._member_links()]

    def choose_person(self, person: Person) -> bool:
        wanted = person.name.casefold()
        for link in self._member_links():
            if wanted in link.name.casefold() and link.href:
                self.page.goto(link.href)
                self._arrive(widgets=False)
                return True
        return False

    def ensure_booker(self) -> None:
        """On a profile or team page, open its first event type."""
        if self.event_url is not None:
            return
        links = self._event_links()
        if not links or not links[0].href:
            raise PageChanged(self.label, "an event type or the calendar")
        self.page.goto(links[0].href)
        self.settle(widgets=False)
        if self.event_url is None:
            raise PageChanged(self.label, "the calendar of the chosen event type")

    # -- slots ------------------------------------------------------------------------------------
    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self.ensure_booker()
        if self.use_api:
            assert self.options.http is not None
            slots = CalComApi(self.options.http, self.event_url or "").slots(window, self.duration)
            if slots is not None:
                yield from slots
                return
            self.use_api = False  # the page from here on
        yield from self._page_slots(window)

    def _page_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self._show_calendar(window.start)
        zone = ZoneInfo(self.zone)
        first_day = window.start.astimezone(zone).date()
        last_day = (window.end - timedelta(microseconds=1)).astimezone(zone).date()  # the end is exclusive
        picker = DayPicker(self.page, PICKER, first_day)
        for day in picker.bookable_days(first_day, last_day):
            for start, choice in self._times_of(picker, day):
                if window.start <= start < window.end:
                    yield OfferedSlot.lasting(start, self.duration, choice.label, ref=day)

    def _show_calendar(self, moment: datetime) -> None:
        """Back to the calendar from the form (its Back button, §2.2 [V]), else load the month (§2.1 [V])."""
        if self.page.shows(*CALENDAR_STEP):
            return
        if self.page.shows(*BACK):
            self.page.click(BACK, "the Back button")
            self.page.seen(*CALENDAR_STEP, what="the calendar")
            return
        day = moment.astimezone(ZoneInfo(self.zone)).date()
        self.page.goto(f"{self.event_url}?{urlencode({'month': f'{day:%Y-%m}', 'date': day.isoformat()})}")
        self.settle(widgets=False)

    def _times_of(self, picker: DayPicker, day: date) -> list[tuple[datetime, TimeChoice]]:
        """``day``'s offered times once the list shows them, each with its instant."""
        before = self.times.ids()
        picker.select(day)
        for attempt in range(3):  # a list re-rendered between reading and asking for its hooks
            choices = self.times.for_day(day, before)
            try:
                hooks = self.page.driver.execute_script(_TIME_ATTRIBUTES_JS, [c.found.element for c in choices])
            except StaleElementReferenceException:
                if attempt == 2:
                    raise
                continue
            offered = []
            for choice, (instant, taken) in zip(choices, hooks):
                start = self._instant(instant, day, choice)
                if start is not None and taken != "true":
                    offered.append((start, choice))
            return offered
        return []

    def _instant(self, data_time: str | None, day: date, choice: TimeChoice) -> datetime | None:
        """The slot's UTC ``data-time`` (§2.2 [V]); without it, its clock text in the page's zone."""
        if data_time:
            try:
                return parse_iso(data_time)
            except SlotParseError:
                pass
        try:
            return localize(day, choice.clock, self.zone)
        except SlotParseError:
            return None  # a wall time the zone's DST change skips

    def choose_slot(self, slot: OfferedSlot) -> None:
        if self.use_api:
            self._api_slot = slot
            return
        self._choose_on_page(slot)

    def _choose_on_page(self, slot: OfferedSlot) -> None:
        if self.event_url is None:
            raise PageChanged(self.label, "the calendar")
        self._show_calendar(slot.start)
        day = slot.ref if isinstance(slot.ref, date) else slot.start.astimezone(ZoneInfo(self.zone)).date()
        picker = DayPicker(self.page, PICKER, day)
        match = next((choice for start, choice in self._times_of(picker, day) if start == slot.start), None)
        if match is None:
            raise SlotTaken(f"{slot.label} on {day:%A, %B} {day.day} is no longer offered on Cal.com")
        self.page.click(match.found.element, f"the time {slot.label}")
        self.page.seen(*FORM_STEP, what="the booking form")

    # -- form and submit --------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        if self.use_api:
            self._api_details = (invitee, message)
            return
        confirm = self.page.seen(*FORM_STEP, what="the booking form")
        form = self.page.driver.execute_script("return arguments[0].closest('form');", confirm)
        self.fill_form(invitee, message, within=form, hints=FORM_HINTS)

    def submit(self) -> SubmitResult:
        if self.use_api:
            result = self._api_book()
            if result is not None:
                return result
            self.use_api = False
            assert self._api_slot is not None and self._api_details is not None
            self._choose_on_page(self._api_slot)
            self.fill_details(*self._api_details)
        self.page.click(CONFIRM, "the Confirm button")
        outcome = await_outcome(self.page, [("answer", HEADLINE)], "the booking confirmation page", errors=ERRORS)
        if outcome.kind == "error":
            if any(word in outcome.text.lower() for word in SLOT_TAKEN_WORDS):
                raise SlotTaken(f"Cal.com said: {outcome.text}")
            raise PageChanged(self.label, f"a confirmation (the page said {outcome.text!r})")
        return self._read_success_page(outcome.text)

    def _read_success_page(self, headline: str) -> SubmitResult:
        words = headline.casefold()
        if SCHEDULED.casefold() not in words and SUBMITTED.casefold() not in words:
            raise PageChanged(self.label, f"a booking confirmation (the page said {headline!r})")
        parts = urlsplit(self.page.current_url)
        match = _UID.search(parts.path)
        return _result(SCHEDULED.casefold() in words, match.group("uid") if match else None, self._host(),
                       urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) if match else None)

    def _host(self) -> str | None:
        """Who hosts (for round robin: whom Cal.com assigned): the [V] hook, else the page's words."""
        for found in self.page.seen_all(HOST_HOOK):
            if found.text:
                return found.text
        for found in self.page.seen_all(NEEDS_TO_CONFIRM):  # "<Host> still needs to confirm …" [S]
            before = found.text.split(" still needs to confirm")[0]
            host = re.split(SUBMITTED, before, flags=re.I)[-1].strip(" ✓.")
            if host:
                return host
        match = _WHO_HOST.search(self.page.visible_text())  # the "Who" section tags the host "Host"
        return match.group("host").strip() if match else None

    # -- the public API (fast path) ---------------------------------------------------------------
    def _api_book(self) -> SubmitResult | None:
        """Book through ``POST /v2/bookings``; None means "use the page"."""
        if self._api_slot is None or self._api_details is None or not self.options.http:
            return None
        invitee, message = self._api_details
        api = CalComApi(self.options.http, self.event_url or "")
        booked = api.book(self._api_slot.start, invitee, message)
        if booked is None:
            return None
        self._show_success_page(booked.status_url, invitee.email, api.ref.slug if api.ref else "")
        return _result(booked.confirmed, booked.uid, booked.host, booked.status_url, " (booked through Cal.com's API)")

    def _show_success_page(self, status_url: str, email: str, slug: str) -> None:
        """Load the booking's own page so the step's screenshot shows it; the API already answered."""
        query = urlencode({"isSuccessBookingPage": "true", "email": email, "eventTypeSlug": slug})
        try:
            self.page.goto(f"{status_url}?{query}")
            self.page.seen(*HEADLINE, what="the success page", timeout=min(self.page.timeout, 5))
        except PageChanged:
            log.info("Cal.com success page %s did not render; the API's answer stands", status_url)


def _result(confirmed: bool, uid: str | None, host: str | None, status_url: str | None, how: str = "") -> SubmitResult:
    """The page's (or the API's) answer in Booker's words; a pending one says who still has to accept."""
    headline = SCHEDULED if confirmed else SUBMITTED
    waiting = "" if confirmed else f" {host or 'The host'} still needs to confirm it."
    return SubmitResult(confirmed=confirmed, external_booking_id=uid, host_name=host, status_url=status_url,
                        summary=f"{headline}{' with ' + host if host else ''}{how}.{waiting}")
