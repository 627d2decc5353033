"""The Slush matchmaking app (a Brella-style event app): request a 15-minute meeting, then wait.

What each step looks for (research/platforms.md §5: whether Slush runs on Brella is unresolved, so
Brella's documented flow is the model; no [U] hook is used, every step reads what a person sees, and
the words are read by :mod:`booking.platforms.slush_reading`):

- **Pages**: ``/events/<slug>/people``, ``?profile=<id>`` opening a person (§5.2 [S]).
- **Sign in** (the teammate's event account; §5 documents no sign-in page, so any sign-in form): a
  password field; the e-mail field by autocomplete/type/label; the button named "Sign in" / "Log in"
  (else the form's submit button). A refusal is the alert's words.
- **People** (§5.2 [V]): the **"Suggest Meeting"** buttons; a person's entry is the row / item / card
  around one of them, matched by name at the start of a line (so "Alice Smithson" is not "Alice
  Smith") and by the startup's name as company; else the People search box (a searchbox) by name,
  read once the list changed and shows the query, or the page says nothing matches.
- **Quota** (§5.2 [V]): the number next to "Meeting Requests Remaining"; no quota shown, none read.
- **Availability** (§5.2 [V]): after "Suggest Meeting", controls (radios, buttons, options…) named by
  a clock time, "your time" and "theirs" (the time next to "your"); the day from the control's name,
  its group's name or the nearest heading before it; 15-minute slots unless the control shows an end.
  The person is the profile's heading; "your time" is in the zone the page names ("your time zone
  (…)"), else the browser's. Ready when nothing shows "Loading…" and times (or "no slots") show.
- **Request** (§5.2 [V]): picking a slot brings a text box for the personal message (by label
  message/note, else the multi-line field; filled by the shared form filler, which also reports any
  required question); the "Send …" button; sent when the page says the request was sent or is
  pending (the request is *pending*, §5.2 [V]) — and not already before the click; its id from the
  address the page moved to or the link to the request ("View request"; a ``/meetings/<id>`` path, [U]).
- **After sending**: :mod:`booking.platforms.slush_status` (status, new time, Schedule's table).

Credentials never appear in logs, errors or screenshots: errors show the login masked, and a failed
sign-in clears the password field before the failure screenshot is taken.
"""
from __future__ import annotations

import re
import time as clock
from datetime import timedelta
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit, urlunsplit

from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from booking.browser.semantic import Found, Way, field, hook, label, matching, placeholder, role, run_script, text
from booking.config.credentials import Credentials
from booking.domain.errors import BookingError, FieldCannotBeFilled, PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot, SlotParseError, localize
from booking.platforms.base import Invitee, Person, Platform, SubmitResult
from booking.platforms.parts.calendar import EMPTY_GRACE_SECONDS
from booking.platforms.parts.loading import is_busy
from booking.platforms.parts.zone import ZONE_CONTROLS, zone_from_words
from booking.platforms.slush_reading import (
    CLEAR_PASSWORD_JS, ENTRIES_JS, REQUEST_BOX_JS, SLOTS_JS, date_of, heading_of, normal, quota_in, says_remaining,
    your_clock,
)
from booking.platforms.slush_status import MAIL_SIGNALS, RequestStatus
from booking.platforms.zones import browser_zone

SIGN_IN = (field(type="password"), label(matching(r"^password")))
LOGIN_FIELD = (field(autocomplete="username"), field(autocomplete="email"), field(type="email"),
               label(matching(r"e-?mail|user ?name|login")))
SIGN_IN_BUTTON = (role("button", matching(r"^(sign|log) ?in\b")), role("button", matching(r"^(continue|next)$")),
                  hook('form button[type="submit"]', "HTML: the form's submit button"))
SUGGEST = role("button", matching(r"^suggest( a)? meeting\b"))  # §5.2 [V]
SEARCH = (role("searchbox"), role("textbox", matching(r"^search")), placeholder(matching(r"^search")))
PEOPLE_STEP = (SUGGEST, *SEARCH)
NO_MATCH = (text(matching(r"^no (people|one|results?|matches|attendees)\b|^nothing (found|matches)|^0 (people|results|attendees)\b")),)
SLOT_CONTROLS = tuple(role(kind, matching(r"\d{1,2}[:.]\d{2}|\d\s*[ap]\.?m\b"))
                      for kind in ("radio", "button", "option", "checkbox", "menuitemradio", "link"))
NO_SLOTS = (text(matching(r"\bno (free |open |available )?(networking )?(slots|times|availability)\b")),)
MESSAGE = (label(matching(r"message|note|intro")), role("textbox", matching(r"message|note|intro")),
           placeholder(matching(r"message|note|write")), hook("textarea", "HTML: a multi-line text field"))
SEND = (role("button", matching(r"^send\b")), role("button", matching(r"^request( a)? meeting$")))  # not the list's
SENT = (role("heading", matching(r"request (was )?sent|request pending")),
        text(matching(r"request was sent|request (is |stays )?pending|stays pending")))
REQUEST_LINK = role("link", matching(r"^(view|open|see|show)\b.*\b(request|meeting)"))
_EVENT_PATH = re.compile(r"^(?P<base>/events/[A-Za-z0-9_-]+)(?:/|$)")
_REQUEST_PATH = re.compile(r"/meetings?/(?P<id>[A-Za-z0-9_-]+)/?$")
_PERSON_HEADING = re.compile(r"availab|slot|time|message|meeting|request|people|schedule|loading|remaining", re.I)
_YOUR_ZONE = re.compile(r"your (?:time ?zone|local time)\s*(?:is|:)?\s*\((?P<zone>[^()·|\n]{3,60}?)\)", re.I)
SLOT_LENGTH = timedelta(minutes=15)  # §5.2 [V]
Entry = tuple[WebElement, list[str]]  # a person's Suggest Meeting button and the lines of their entry

__all__ = ["MAIL_SIGNALS", "SLOT_LENGTH", "SlushMatchmaking"]


class SlushMatchmaking(RequestStatus, Platform):
    name = "slush_platform"
    label = "Slush matchmaking"
    # Brella's web app and white-label hosts (§5.2 [S]); the event's own host comes from BOOKER_SLUSH_HOSTS.
    url_patterns = (
        r"(?!api\.)([a-z0-9-]+\.)?brella\.io/events/[A-Za-z0-9_-]+(/[^?#]*)?",
        r"(next\.)?brella\.io/join/[A-Za-z0-9_-]+/?",
    )
    confirms_on_submit = False
    checks_status = True
    mail_signals = MAIL_SIGNALS
    shared_login_settings = ("slush_login", "slush_password")  # BOOKER_SLUSH_LOGIN / _PASSWORD

    def __init__(self, page, options=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(page, options)
        self.event_base: str | None = None     # "https://host/events/<slug>"
        self.quota: int | None = None
        self.person_name: str | None = None
        self._deep_linked = False
        self._profile_open = False

    @classmethod
    def configured_hosts(cls, settings) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        return tuple(settings.slush_hosts) if settings is not None else ()

    # -- arriving on a page, signing in -------------------------------------------------------------
    def _credentials(self) -> Credentials:
        invitee = self.context.invitee
        found = self.context.credentials(self.name)
        if found is None:
            who = invitee.email if invitee else "you"
            raise BookingError(
                f"Booker has no Slush matchmaking sign-in for {who}: an admin adds it to BOOKER_CREDENTIALS_FILE "
                "(or sets BOOKER_SLUSH_LOGIN and BOOKER_SLUSH_PASSWORD for a shared account)"
            )
        return found

    def _alert(self) -> str | None:
        said = [(a.text or a.name).strip() for a in self.page.seen_all(role("alert"))]
        return next((words for words in said if words), None)

    def _arrive(self, ready: tuple[Way, ...], what: str) -> None:
        """Wait for ``ready`` (or the sign-in form: sign in, then wait for ``ready`` or the refusal)."""
        self.dismiss_consent()
        ways = (*SIGN_IN, *ready)
        found = self.page.wait_for(lambda d: self.page.seen_all(*ways, details=False), f"{what} or the sign-in form")
        if found[0].way >= len(SIGN_IN):
            return
        credentials = self._credentials()
        self.page.fill(LOGIN_FIELD, credentials.login, "the sign-in e-mail field")
        self.page.fill_secret(SIGN_IN, credentials.password, "the password field")
        self.page.click(SIGN_IN_BUTTON, "the Sign in button")

        def outcome(driver: WebDriver) -> str | bool:
            if self.page.shows(*ready):
                return "ready"
            refused = self._alert() if self.page.shows(*SIGN_IN) else None
            return f"error:{refused}" if refused else False

        try:
            result = self.page.wait_for(outcome, f"{what} after signing in")
        except PageChanged:
            self._clear_password()
            raise
        if result.startswith("error:"):
            self._clear_password()  # the failure screenshot must not show even the dots
            raise BookingError(
                f"Slush matchmaking refused the sign-in for {credentials.masked_login} "
                f"({result.removeprefix('error:')}); check the account in BOOKER_CREDENTIALS_FILE"
            )
        self.dismiss_consent()

    def _clear_password(self) -> None:
        try:
            self.page.driver.execute_script(CLEAR_PASSWORD_JS)
        except Exception:  # the page is gone: nothing left to show
            pass

    def open_event(self, booking_url: str) -> None:
        parts = urlsplit(booking_url)
        match = _EVENT_PATH.match(parts.path)
        if not match:
            raise BookingError(f"{booking_url[:200]} is not a Slush matchmaking event page (…/events/<event>/people)")
        self.event_base = urlunsplit((parts.scheme, parts.netloc, match.group("base"), "", ""))

    # -- open, quota, people ----------------------------------------------------------------------
    def open(self, url: str) -> None:
        self.open_event(url)
        profile = parse_qs(urlsplit(url).query).get("profile", [None])[0]
        target = f"{self.event_base}/people" + (f"?profile={profile}" if profile else "")
        self.page.goto(target)
        self._arrive(PEOPLE_STEP, "the People tab")
        if profile and f"profile={profile}" not in self.page.current_url:
            self.page.goto(target)  # the sign-in went back to the People tab without the person
            self._arrive(PEOPLE_STEP, "the People tab")
        self.quota = self._read_quota()
        if self.quota is not None and self.quota <= 0:
            raise BookingError(
                "Your Slush matchmaking account has no meeting requests remaining (0); "
                "cancel a pending request in the app to get one back, then retry"
            )
        if profile:
            self._deep_linked = True
            self._wait_profile()

    def _read_quota(self) -> int | None:
        """The requests remaining; None when the page names no quota once it had a moment to."""
        since = clock.monotonic()

        def number(driver: WebDriver) -> tuple[int | None] | bool:
            words = self.page.visible_text()
            found = quota_in(words)
            if found is not None:
                return (found,)
            waited = clock.monotonic() - since >= EMPTY_GRACE_SECONDS
            return (None,) if waited and not says_remaining(words) and not is_busy(self.page) else False

        return self.page.wait_for(number, "the meeting requests remaining")[0]

    def _entries(self) -> list[Entry]:
        buttons = [f.element for f in self.page.seen_all(SUGGEST)]
        return list(zip(buttons, run_script(self.page.driver, ENTRIES_JS, buttons))) if buttons else []

    def _listed(self, query: str | None = None, before: tuple[str, ...] | None = None) -> list[Entry]:
        """The People list once it settled; after a search, once it changed from ``before`` and shows
        the query in every entry, or the page says nothing matches (or it had a moment to)."""
        state: dict[str, Any] = {"since": clock.monotonic(), "last": None}
        wanted = normal(query or "")

        def settled(driver: WebDriver) -> tuple[list[Entry]] | bool:
            if is_busy(self.page):
                return False
            entries = self._entries()
            seen = tuple(" ".join(lines) for _, lines in entries)
            steady, state["last"] = seen == state["last"], seen
            waited = clock.monotonic() - state["since"] >= EMPTY_GRACE_SECONDS
            changed = before is None or seen != before
            shows_query = bool(entries) and all(wanted in normal(words) for words in seen)
            if steady and changed and (shows_query or (not entries and self.page.shows(*NO_MATCH))):
                return (entries,)
            return (entries,) if steady and (waited or (before is None and entries)) else False

        return self.page.wait_for(settled, f"the People list{f' for {query!r}' if query else ''}")[0]

    def _search(self, query: str) -> list[Entry]:
        before = tuple(" ".join(lines) for _, lines in self._entries())
        self.page.fill(SEARCH, query, "the People search box")
        return self._listed(query, before)

    def _of_startup(self, lines: list[str]) -> bool:
        startup = normal(self.context.startup_name)
        if not startup:
            return False
        return startup in normal(" ".join(lines)) or any(
            len(normal(line)) >= 3 and re.search(rf"\b{re.escape(normal(line))}\b", startup) for line in lines[1:])

    @staticmethod
    def _named(lines: list[str], name: str) -> bool:
        """The entry names ``name`` at the start of a line, not as part of a longer name."""
        wanted = re.escape(normal(name))
        return any(re.match(rf"{wanted}(?![\w'-])", normal(line)) for line in lines)

    def people(self) -> list[str]:
        """The configured people, whom ``choose_person`` finds by name; with none configured, the
        startup's team as the People search shows it (a company name match)."""
        if self._deep_linked:
            return []
        if self.context.people:
            return list(self.context.people)
        if "://" in self.context.startup_name or not normal(self.context.startup_name):
            return []
        return [next((line for line in lines if len(line) > 1), "")  # an avatar's initial is no name
                for _, lines in self._search(self.context.startup_name.strip()) if self._of_startup(lines)]

    def choose_person(self, person: Person) -> bool:
        """Suggest a meeting to ``person``: their entry if the list shows it with the startup's name as
        company (no search needed), else the first entry of that exact name the People search finds."""
        if self._deep_linked:
            return False
        shown = self._listed()
        button = next((b for b, lines in shown if self._named(lines, person.name) and self._of_startup(lines)), None)
        if button is None:
            button = next((b for b, lines in self._search(person.name) if self._named(lines, person.name)), None)
        if button is None:
            return False
        self.dismiss_consent()
        self.page.click(button, f"Suggest Meeting for {person.name}")
        self._wait_profile(person.name)
        return True

    # -- the person's availability ------------------------------------------------------------------
    def _slots_now(self) -> tuple[list[Found], dict[str, Any]]:
        found = [f for f in self.page.seen_all(*SLOT_CONTROLS, every=True) if your_clock(f.name or f.text)]
        if not found:
            return [], {"slots": [], "person": ""}
        return found, run_script(self.page.driver, SLOTS_JS, [f.element for f in found], _PERSON_HEADING.pattern)

    def _wait_profile(self, name: str | None = None) -> None:
        """Wait until the person's availability shows (or says it has none); with ``name``, theirs."""

        def ready(driver: WebDriver) -> tuple[str] | bool:
            if is_busy(self.page) or (name and not self.page.shows(heading_of(name))):
                return False
            found, read = self._slots_now()
            return (read["person"],) if found or self.page.shows(*NO_SLOTS) else False

        shown = self.page.wait_for(ready, f"the networking availability of {name or 'the person'}")[0]
        self.person_name = name or shown or None
        self._profile_open = True

    def _zone(self) -> str:
        """The zone of "your time": the one the page names, else the browser's (Brella shows the device's)."""
        preferred = [z for z in (self.options.timezone, self.page.timezone) if z]
        named = _YOUR_ZONE.search(self.page.visible_text())
        zone = zone_from_words(self.page, named.group("zone"), preferred or [browser_zone(self.page)]) if named else None
        for found in ([] if zone else self.page.seen_all(*ZONE_CONTROLS)):
            zone = zone or zone_from_words(self.page, found.name or found.text, preferred)
        return zone or browser_zone(self.page)

    def _offered(self) -> list[tuple[OfferedSlot, Found]]:
        found, read = self._slots_now()
        zone, today = self._zone(), self.context.clock().date()
        offered = []
        for control, (group, headings) in zip(found, read["slots"]):
            if control.disabled:
                continue
            words = control.name or control.text
            day = next((d for d in (date_of(w, today) for w in (words, group, *headings)) if d), None)
            mine = your_clock(words)
            if day is None or mine is None:
                raise PageChanged(self.label, f"a readable time slot (saw {words!r})")
            try:
                start = localize(day, mine.start, zone)
            except SlotParseError:
                continue  # a time the zone's DST change skips
            end = localize(day, mine.end, zone) if mine.end and mine.end > mine.start else start + SLOT_LENGTH
            offered.append((OfferedSlot(start, end, mine.words, ref=start), control))
        return offered

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        if not self._profile_open:
            raise BookingError(
                "On Slush matchmaking Booker needs to know whom to meet: add the startup's people to its config "
                "or book a profile link (…/people?profile=<id>)"
            )
        for slot, _ in self._offered():
            if window.start <= slot.start <= window.end:
                yield slot

    def choose_slot(self, slot: OfferedSlot) -> None:
        control = next((c for s, c in self._offered() if s.start == slot.start), None)
        if control is None:
            raise SlotTaken(f"{slot.label} is no longer offered")
        self.page.click(control.element, f"the slot {slot.label}")
        self.page.seen(*MESSAGE, what="the personal message box")

    # -- message and send ---------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        box = self.page.seen(*MESSAGE, what="the personal message box")
        limit = box.get_attribute("maxlength")
        if limit and limit.isdigit() and len(message) > int(limit):
            raise FieldCannotBeFilled(
                f"The intro message is {len(message)} characters; Slush matchmaking takes at most {limit}"
            )
        # the request's own part of the page (its dialog, form or section): not the People search
        self.fill_form(invitee, message, within=run_script(self.page.driver, REQUEST_BOX_JS, box))
        self.quota = self._read_quota()

    def pre_submit_note(self) -> str | None:
        if self.quota is None:
            return None
        return f"Meeting requests remaining on Slush matchmaking: {self.quota} (this request uses one)"

    def submit(self) -> SubmitResult:
        quota = self._read_quota()
        if quota is not None and quota <= 0:
            raise BookingError("Your Slush matchmaking account has no meeting requests remaining (0); nothing was sent")
        self.dismiss_consent()
        before = {f.element.id for f in self.page.seen_all(*SENT, details=False)}  # an explanation, not an answer
        self.page.click(SEND, "the Send request button")

        def outcome(driver: WebDriver) -> str | bool:
            if any(f.element.id not in before for f in self.page.seen_all(*SENT, details=False)):
                return "sent"
            refused = self._alert()
            return f"error:{refused}" if refused else False

        result = self.page.wait_for(outcome, "the sent request (the page saying it was sent or is pending)")
        if result.startswith("error:"):
            said = result.removeprefix("error:")
            if "no longer available" in said.lower() or "not available" in said.lower():
                raise SlotTaken(f"Slush matchmaking said: {said}")
            raise BookingError(f"Slush matchmaking did not send the request: {said}")
        request_id, request_url = self._request_id()
        remaining = (self.quota - 1) if self.quota is not None else None
        left = f" ({remaining} requests remaining)" if remaining is not None else ""
        return SubmitResult(
            confirmed=False,
            external_booking_id=request_id,
            host_name=self.person_name,
            summary=f"Meeting request sent to {self.person_name}; it stays pending until they accept{left}.",
            status_url=request_url,
            extra={"requests_remaining": str(remaining)} if remaining is not None else {},
        )

    def _request_id(self) -> tuple[str, str]:
        """The sent request's id and page: the address the page moved to, else its link ("View request")."""
        here = self.page.current_url.split("?")[0]
        match = _REQUEST_PATH.search(urlsplit(here).path)
        if match:
            return match.group("id"), here
        for link in self.page.seen_all(REQUEST_LINK):  # its address ends with the id
            last = urlsplit(link.href or "").path.rstrip("/").rsplit("/", 1)[-1]
            if last:
                return last, link.href or here
        for link in self.page.seen_all(role("link")):
            match = _REQUEST_PATH.search(urlsplit(link.href or "").path)
            if match:
                return match.group("id"), link.href or here
        raise PageChanged(self.label, "a link to the sent request (its id)")
