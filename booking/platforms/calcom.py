"""Cal.com: the booker's month view, its same-page form, the success page, and the public v2 API.

Hooks from research/platforms.md §2: day buttons ``[data-testid="day"][data-disabled="false"]``,
slots ``[data-testid="time"]`` whose ``data-time`` is the UTC instant (so no display zone needs
reading: the page's zone only decides which day button holds a slot), the form's ``name``,
``email``, ``notes`` and custom fields, ``[data-testid="confirm-book-button"]`` ("Confirm"), then
``/booking/<uid>`` with "This meeting is scheduled" (accepted) or "Your booking has been
submitted" (the event type requires the host's confirmation: the booking stays pending).

With ``PlatformOptions.api_fast_path`` the module reads slots from ``GET /v2/slots`` and books with
``POST /v2/bookings`` (both public, no key); any failure of the API other than "slot taken" falls
back to the page. :meth:`CalCom.booking_status` reads a booking's status by uid for the
confirmation monitor.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser import Page
from booking.errors import FieldCannotBeFilled, PageChanged, PlatformApiError, SlotTaken
from booking.http import HttpClient, HttpError
from booking.platforms.base import (
    Invitee, Person, Platform, PlatformOptions, RemoteBookingStatus, SubmitResult, Widget,
)
from booking.slots import Interval, OfferedSlot, parse_iso

log = logging.getLogger(__name__)
CSS = By.CSS_SELECTOR
UTC = timezone.utc

DAY = (CSS, 'button[data-testid="day"]')
EVENT_TYPES = (CSS, '[data-testid="event-types"]')
FORM_CONFIRM = (CSS, '[data-testid="confirm-book-button"]')
MONTH_LABEL = (CSS, '[data-testid="selected-month-label"]')
NEXT_MONTH = (CSS, '[data-testid="incrementMonth"]')
PREVIOUS_MONTH = (CSS, '[data-testid="decrementMonth"]')
EVENT_META = (CSS, '[data-testid="event-meta"]')
BACK = (CSS, '[data-testid="back"]')
TEAM_MEMBERS_BUTTON = (CSS, '[data-testid="book-a-team-member-btn"]')
TEAM_MEMBER = (CSS, '[data-testid="team-member"]')
SUCCESS_PAGE = (CSS, '[data-testid="success-page"]')
BOOKING_FAIL = (CSS, '[data-testid="booking-fail"]')
SCHEDULED = "This meeting is scheduled"
SUBMITTED = "Your booking has been submitted"
SLOT_TAKEN_WORDS = ("no longer available", "not available", "already has booking", "no_available_users")

API_BASE = "https://api.cal.com"
SLOTS_VERSION = "2024-09-04"
BOOKINGS_VERSION = "2024-08-13"
STATES = {"accepted": "confirmed", "pending": "pending", "rejected": "declined", "cancelled": "cancelled"}

_DURATION = re.compile(r"^\s*(?:(?P<h>\d{1,2})\s*h(?:rs?|ours?)?)?\s*(?:(?P<m>\d{1,3})\s*m(?:in(?:ute)?s?)?)?\s*$", re.I)
_UID = re.compile(r"/booking/(?P<uid>[A-Za-z0-9_-]+)")
_RESERVED_PATHS = r"(?!(?:api|auth|apps|settings|bookings|booking|event-types|availability|workflows|insights|docs|signup|login)(?:/|$))"

# The month's enabled days and the selected day's times, in one round trip each.
_READ_DAYS_JS = """
return Array.from(document.querySelectorAll('button[data-testid="day"]')).map(b =>
  [parseInt(b.textContent, 10), b.getAttribute('data-disabled') === 'false' && !b.disabled]);
"""
_READ_TIMES_JS = """
const none = document.querySelector('[data-testid="no-slots-available"]');
return [!!none, Array.from(document.querySelectorAll('button[data-testid="time"]')).filter(b =>
  b.getAttribute('data-disabled') !== 'true').map(b => [b.getAttribute('data-time'), b.textContent.trim()])];
"""
_FORM_FIELDS_JS = """
const form = document.querySelector('[data-testid="confirm-book-button"]').closest('form');
return Array.from(form.querySelectorAll('input, textarea, select')).filter(f => f.name && f.type !== 'hidden'
  && f.name !== 'guests').map(f => {
  const label = form.querySelector('label[for="' + f.id + '"]');
  return [f.name, label ? label.textContent.replace('*', '').trim() : f.name, f.required, f.tagName.toLowerCase()];
});
"""


@dataclass(frozen=True)
class EventRef:
    """Which event type a booker page is, as the v2 API names it."""

    slug: str
    username: str | None = None
    team_slug: str | None = None
    organization_slug: str | None = None

    def params(self) -> dict[str, str]:
        owner = {"username": self.username} if self.username else {"teamSlug": self.team_slug or ""}
        org = {"organizationSlug": self.organization_slug} if self.organization_slug else {}
        return {"eventTypeSlug": self.slug, **owner, **org}


def utc_text(moment: datetime) -> str:
    """Cal.com's ``data-time`` format: 2026-12-02T07:00:00.000Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_duration(text: str) -> timedelta | None:
    """"30m", "1h", "1h 30m", "45 mins" → a length; None for anything else."""
    match = _DURATION.match(text or "")
    if not match or not (match.group("h") or match.group("m")):
        return None
    return timedelta(hours=int(match.group("h") or 0), minutes=int(match.group("m") or 0))


class CalCom(Platform):
    name = "calcom"
    label = "Cal.com"
    url_patterns = (
        rf"(www\.|app\.)?cal\.com/{_RESERVED_PATHS}[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+){{0,2}}/?",
        rf"(?!api\.|docs\.|www\.|app\.)[a-z0-9-]+\.cal\.com/{_RESERVED_PATHS}[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+){{0,2}}/?",
    )
    confirms_on_submit = True  # per booking: an opt-in event type answers SubmitResult(confirmed=False)
    ready_hooks = ((DAY, "calendar"), (FORM_CONFIRM, "form"), (EVENT_TYPES, "profile"))
    embed_widgets = (
        # Cal("inline", …) puts iframe.cal-embed (name "cal-embed=<namespace>") into the page
        Widget((CSS, 'iframe.cal-embed, iframe[name^="cal-embed="]'), frame=""),
        # a pop-up trigger: follow its link (data-cal-origin, else app.cal.com)
        Widget((CSS, "[data-cal-link]"), frame=None, url_attribute="data-cal-link",
               base_attribute="data-cal-origin", default_base="https://app.cal.com"),
    )

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.event_url: str | None = None
        self.duration = timedelta(minutes=30)
        self.use_api = bool(self.options.api_fast_path and self.options.http)
        self._api_slot: OfferedSlot | None = None
        self._api_details: tuple[Invitee, str] | None = None

    # -- the confirmation monitor's entry point ---------------------------------------------------
    @classmethod
    def api_base_for(cls, page_url: str) -> str:
        """api.cal.com for cal.com pages; a self-hosted (or replica) instance answers on its own origin."""
        parts = urlsplit(page_url)
        host = (parts.hostname or "").lower()
        if host == "cal.com" or host.endswith(".cal.com"):
            return API_BASE
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))

    @classmethod
    def booking_status(cls, uid: str, http: HttpClient, api_base: str = API_BASE) -> RemoteBookingStatus:
        """``GET /v2/bookings/{uid}`` (public for whoever knows the uid) as plain data.

        Raises :class:`PlatformApiError` when the API can't say (down, unknown uid, changed shape).
        """
        url = f"{api_base.rstrip('/')}/v2/bookings/{quote(uid, safe='')}"
        try:
            response = http.request("GET", url, headers={"cal-api-version": BOOKINGS_VERSION})
        except HttpError as exc:
            raise PlatformApiError(f"Cal.com's API did not answer about booking {uid}: {exc}") from None
        data = response.data.get("data") if isinstance(response.data, dict) else None
        if response.status == 404:
            raise PlatformApiError(f"Cal.com doesn't know booking {uid} any more", retryable=False)
        if not response.ok or not isinstance(data, dict) or str(data.get("status")) not in STATES:
            raise PlatformApiError(f"Cal.com's API answered {response.status} about booking {uid}")
        raw = str(data["status"])
        hosts = data.get("hosts") or []
        reason = data.get("rejectionReason") or data.get("cancellationReason") or ""
        start = None
        try:
            start = parse_iso(str(data.get("start"))) if data.get("start") else None
        except ValueError:
            start = None
        return RemoteBookingStatus(
            state=STATES[raw], raw=raw, start=start,
            host_name=hosts[0].get("name") if hosts and isinstance(hosts[0], dict) else None,
            detail=f"Cal.com says the booking is {raw}" + (f": {reason}" if reason else ""),
        )

    @classmethod
    def remote_status(cls, external_id: str, page_url: str, http: HttpClient) -> RemoteBookingStatus | None:
        return cls.booking_status(external_id, http, cls.api_base_for(page_url))

    # -- open and choose a person -----------------------------------------------------------------
    def on_ready(self, key: str) -> None:
        if key in ("calendar", "form"):
            self._on_booker()

    def _on_booker(self) -> None:
        parts = urlsplit(self.page.current_url)
        self.event_url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        meta = self.page.find(EVENT_META, "the event details panel", visible=False)
        for line in (meta.text or "").splitlines():
            length = parse_duration(re.sub(r"^\W+", "", line))
            if length:
                self.duration = length
                break

    def people(self) -> list[str]:
        """Members listed under "Book a team member" on a team page; [] elsewhere (or round robin)."""
        if not self.page.exists(EVENT_TYPES):
            return []
        for button in self.page.find_all(TEAM_MEMBERS_BUTTON):
            if button.is_displayed():
                self.page.click(button, "the Book a team member button")
                self.page.find(TEAM_MEMBER, "the list of team members")
        return [name for name, _ in self._members()]

    def _members(self) -> list[tuple[str, str]]:
        return self.page.driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-testid=\"team-member\"]')).map(a => "
            "[a.textContent.trim(), a.href]);"
        )

    def choose_person(self, person: Person) -> bool:
        wanted = person.name.casefold()
        for name, link in self._members():
            if name.casefold() == wanted and link:
                self.page.goto(link)
                self.settle(widgets=False)
                return True
        return False

    def ensure_booker(self) -> None:
        """On a profile or team page, open its first event type."""
        if self.event_url is not None:
            return
        links = self.page.driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-testid=\"event-type-link\"]')).map(a => a.href);")
        if not links:
            raise PageChanged(self.label, "an event type or the calendar")
        self.page.goto(links[0])
        self.settle(widgets=False)

    # -- slots ------------------------------------------------------------------------------------
    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self.ensure_booker()
        if self.use_api:
            slots = self._api_slots(window)
            if slots is not None:
                yield from slots
                return
            self.use_api = False  # the page from here on
        yield from self._page_slots(window)

    def _page_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self._show_calendar()
        # Days are in the page's zone; data-time is UTC, so a day either side covers any zone.
        first_day = (window.start - timedelta(days=1)).date()
        last_day = (window.end + timedelta(days=1)).date()
        month = self._month()
        if month < first_day.replace(day=1):
            self._go_to_month(first_day)
            month = self._month()
        while month <= last_day:
            for number in self._open_days():
                day = month.replace(day=number)
                if not first_day <= day <= last_day:
                    continue
                for iso, text in self._select_day(day):
                    start = parse_iso(iso)
                    if window.start <= start <= window.end:
                        yield OfferedSlot(start, start + self.duration, text, ref=day)
            button = self.page.find_all(NEXT_MONTH)
            if not button or not button[0].is_enabled():
                return
            self._go_to_month(_next_month(month))
            month = self._month()

    def _show_calendar(self) -> None:
        if not self.page.exists(DAY) and self.page.exists(BACK):
            self.page.click(BACK, "the Back button")
        self.page.find(DAY, "the calendar's day buttons")

    def _month(self) -> date:
        text = self.page.find(MONTH_LABEL, "the month label").text.strip()
        try:
            return datetime.strptime(" ".join(text.split()), "%B %Y").date()
        except ValueError:
            raise PageChanged(self.label, f"a readable month label (saw {text!r})") from None

    def _open_days(self) -> list[int]:
        self.page.find(DAY, "the calendar's day buttons")
        return [number for number, open_ in self.page.driver.execute_script(_READ_DAYS_JS) if open_ and number]

    def _go_to_month(self, target: date) -> None:
        for _ in range(24):
            current = self._month()
            if (current.year, current.month) == (target.year, target.month):
                self.page.find(DAY, "the calendar's day buttons")
                return
            self.page.click(NEXT_MONTH if current < target else PREVIOUS_MONTH, "the month navigation button")
            self.page.wait_for(lambda d: self._month() != current, "the next month to show")
        raise PageChanged(self.label, f"the month {target:%B %Y}")

    def _can_show(self, day: date) -> bool:
        """Whether the calendar can go to ``day``'s month (it won't go before the current one)."""
        current = self._month()
        if day.replace(day=1) >= current:
            return True
        button = self.page.find_all(PREVIOUS_MONTH)
        return bool(button) and button[0].is_enabled()

    def _select_day(self, day: date) -> list[tuple[str, str]]:
        """Click ``day`` (unless the page shows it already) and return its (data-time, text) pairs once
        the page shows that day's times."""
        if f"date={day.isoformat()}" not in self.page.current_url:
            self._go_to_month(day)
            for button in self.page.find_all(DAY):
                if re.match(rf"^{day.day}(\D|$)", (button.text or "").strip()):
                    self.page.click(button, f"the day {day:%-d %B}")
                    break
            else:
                raise PageChanged(self.label, f"the day button {day.day}")

        def times_of_day(driver: WebDriver) -> tuple[list[tuple[str, str]]] | bool:
            if f"date={day.isoformat()}" not in self.page.current_url:
                return False  # the click hasn't been handled yet: the list may still be the last day's
            empty, times = driver.execute_script(_READ_TIMES_JS)
            return ([(t, text) for t, text in times],) if times or empty else False

        return self.page.wait_for(times_of_day, f"the times of {day:%-d %B}")[0]

    def choose_slot(self, slot: OfferedSlot) -> None:
        if self.use_api:
            self._api_slot = slot
            return
        self._choose_on_page(slot)

    def _choose_on_page(self, slot: OfferedSlot) -> None:
        if self.event_url and not (self.page.exists(DAY) or self.page.exists(BACK)):
            self.page.goto(self.event_url)
            self.settle(widgets=False)
        self._show_calendar()
        iso = utc_text(slot.start)
        days = [slot.ref] if isinstance(slot.ref, date) else [slot.start.date() + timedelta(days=n) for n in (-1, 0, 1)]
        for day in days:
            showing = f"date={day.isoformat()}" in self.page.current_url  # right after the scan: no month checks
            if not showing and not self._can_show(day):
                continue
            if not showing:
                self._go_to_month(day)
                if day.day not in self._open_days():
                    continue
            if any(t == iso for t, _ in self._select_day(day)):
                self.page.click((CSS, f'button[data-testid="time"][data-time="{iso}"]'), f"the time {slot.label}")
                self.page.find(FORM_CONFIRM, "the booking form")
                return
        raise SlotTaken(f"{slot.label} is no longer offered on Cal.com")

    # -- form and submit --------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        if self.use_api:
            self._api_details = (invitee, message)
            return
        self.page.find(FORM_CONFIRM, "the booking form")
        self.page.fill((CSS, 'form [name="name"]'), invitee.name, "the name field")
        self.page.fill((CSS, 'form [name="email"]'), invitee.email, "the e-mail field")
        message_placed = False
        for name, label, required, tag in self.page.driver.execute_script(_FORM_FIELDS_JS):
            if name in ("name", "email"):
                continue
            locator = (CSS, f'form [name="{name}"]')
            if not message_placed and (name == "notes" or (tag == "textarea" and not self.page.exists((CSS, 'form [name="notes"]')))):
                self.page.fill(locator, message, "the Additional notes field")
                message_placed = True
                continue
            answer = invitee.phone if name == "attendeePhoneNumber" else invitee.answer_for(label)
            if answer:
                self.page.fill(locator, answer, f"the field {label!r}")
            elif required:
                raise FieldCannotBeFilled(f"The Cal.com form requires {label!r}, which Booker can't answer")
        if not message_placed:
            raise FieldCannotBeFilled("The Cal.com form has no field for the intro message")

    def submit(self) -> SubmitResult:
        if self.use_api:
            result = self._api_book()
            if result is not None:
                return result
            self.use_api = False
            assert self._api_slot is not None and self._api_details is not None
            self._choose_on_page(self._api_slot)
            self.fill_details(*self._api_details)
        self.page.click(FORM_CONFIRM, "the Confirm button")

        def outcome(driver: WebDriver) -> str | bool:
            for element in driver.find_elements(*SUCCESS_PAGE):
                headline = element.find_elements(By.ID, "modal-headline")
                if headline and headline[0].text.strip():
                    return "ok"
            fails = [f.text.strip() for f in driver.find_elements(*BOOKING_FAIL) if f.is_displayed() and f.text.strip()]
            return f"error:{fails[0]}" if fails else False

        result = self.page.wait_for(outcome, "the booking confirmation page")
        if result.startswith("error:"):
            text = result.removeprefix("error:")
            if any(word in text.lower() for word in SLOT_TAKEN_WORDS):
                raise SlotTaken(f"Cal.com said: {text}")
            raise PageChanged(self.label, f"a confirmation (the page said {text!r})")
        return self._read_success_page()

    def _read_success_page(self) -> SubmitResult:
        headline = self.page.find((By.ID, "modal-headline"), "the success page's headline").text.strip()
        if headline not in (SCHEDULED, SUBMITTED):
            raise PageChanged(self.label, f"a booking confirmation (the page said {headline!r})")
        hosts = self.page.find_all((CSS, '[data-testid="booking-host-name"]'))
        host = hosts[0].text.strip() if hosts else None
        match = _UID.search(urlsplit(self.page.current_url).path)
        status_url = None
        if match:
            parts = urlsplit(self.page.current_url)
            status_url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        confirmed = headline == SCHEDULED
        waiting = "" if confirmed else f" {host or 'The host'} still needs to confirm it."
        return SubmitResult(
            confirmed=confirmed,
            external_booking_id=match.group("uid") if match else None,
            host_name=host,
            summary=f"{headline}{' with ' + host if host else ''}.{waiting}",
            status_url=status_url,
        )

    # -- the public API (fast path) ---------------------------------------------------------------
    def event_ref(self) -> EventRef | None:
        """The event type the open booker shows, by slug and owner; None for private (/d/) links."""
        if not self.event_url:
            return None
        parts = urlsplit(self.event_url)
        path = [p for p in parts.path.split("/") if p]
        if path and path[-1] == "embed":
            path = path[:-1]
        host = (parts.hostname or "").lower()
        org = host.split(".")[0] if host.endswith(".cal.com") and host not in ("app.cal.com", "www.cal.com") else None
        if len(path) == 3 and path[0] == "team":
            return EventRef(path[2], team_slug=path[1], organization_slug=org)
        if len(path) == 2 and path[0] != "d":
            return EventRef(path[1], username=path[0], organization_slug=org)
        return None

    def _api(self, method: str, path: str, version: str, body: Any = None,
             query: dict[str, str] | None = None) -> tuple[int, Any]:
        assert self.options.http is not None and self.event_url is not None
        url = f"{self.api_base_for(self.event_url)}{path}" + (f"?{urlencode(query)}" if query else "")
        response = self.options.http.request(method, url, json_body=body, headers={"cal-api-version": version})
        return response.status, response.data

    def _api_slots(self, window: Interval) -> list[OfferedSlot] | None:
        ref = self.event_ref()
        if ref is None:
            return None
        query = {**ref.params(), "start": window.start.astimezone(UTC).isoformat(),
                 "end": window.end.astimezone(UTC).isoformat(), "timeZone": "UTC"}
        try:
            status, data = self._api("GET", "/v2/slots", SLOTS_VERSION, query=query)
            if status != 200 or not isinstance(data, dict) or data.get("status") != "success":
                raise ValueError(f"status {status}")
            slots = []
            for items in dict(data["data"]).values():
                for item in items:
                    start = parse_iso(str(item["start"]))
                    if window.start <= start <= window.end:
                        slots.append(OfferedSlot(start, start + self.duration, f"{start:%H:%M} UTC"))
        except (HttpError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("Cal.com /v2/slots failed (%s); reading the page instead", exc)
            return None
        return sorted(slots, key=lambda s: s.start)

    def _api_book(self) -> SubmitResult | None:
        """Book through ``POST /v2/bookings``; None means "use the page" (the API refused or is down)."""
        ref = self.event_ref()
        if ref is None or self._api_slot is None or self._api_details is None:
            return None
        invitee, message = self._api_details
        body = {"start": utc_text(self._api_slot.start),
                "attendee": {"name": invitee.name, "email": invitee.email, "timeZone": invitee.timezone, "language": "en"},
                "bookingFieldsResponses": {"notes": message}, "metadata": {}, **ref.params()}
        if invitee.phone:
            body["attendee"]["phoneNumber"] = invitee.phone
        try:
            status, data = self._api("POST", "/v2/bookings", BOOKINGS_VERSION, body=body)
        except HttpError as exc:
            if exc.maybe_delivered:
                raise PlatformApiError(f"Cal.com's booking API did not answer ({exc})", retryable=False) from None
            log.info("Cal.com /v2/bookings unreachable (%s); booking on the page instead", exc)
            return None
        error = data.get("error") if isinstance(data, dict) else None
        if status >= 400:
            text = str(error.get("message") if isinstance(error, dict) else data)
            if status == 400 and any(word in text.lower() for word in SLOT_TAKEN_WORDS):
                raise SlotTaken(f"Cal.com said: {text}")
            log.info("Cal.com /v2/bookings answered %s (%s); booking on the page instead", status, text)
            return None
        booking = data.get("data") if isinstance(data, dict) else None
        if not isinstance(booking, dict) or not booking.get("uid") or booking.get("status") not in ("accepted", "pending"):
            raise PlatformApiError(f"Cal.com's booking API answered {status} with an unexpected body", retryable=False)
        uid = str(booking["uid"])
        parts = urlsplit(self.event_url or "")
        status_url = urlunsplit((parts.scheme, parts.netloc, f"/booking/{quote(uid)}", "", ""))
        self._show_success_page(status_url, invitee.email, ref.slug)
        hosts = booking.get("hosts") or []
        host = hosts[0].get("name") if hosts and isinstance(hosts[0], dict) else None
        confirmed = booking["status"] == "accepted"
        headline = SCHEDULED if confirmed else SUBMITTED
        waiting = "" if confirmed else f" {host or 'The host'} still needs to confirm it."
        return SubmitResult(confirmed=confirmed, external_booking_id=uid, host_name=host,
                            summary=f"{headline}{' with ' + host if host else ''} (booked through Cal.com's API).{waiting}",
                            status_url=status_url)

    def _show_success_page(self, status_url: str, email: str, slug: str) -> None:
        """Load the booking's own page so the step's screenshot shows it; the API already answered."""
        try:
            self.page.goto(f"{status_url}?{urlencode({'isSuccessBookingPage': 'true', 'email': email, 'eventTypeSlug': slug})}")
            self.page.find(SUCCESS_PAGE, "the success page", timeout=min(self.page.timeout, 5))
        except PageChanged:
            log.info("Cal.com success page %s did not render; the API's answer stands", status_url)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
