"""The Slush matchmaking app (a Brella-style event app): request a 15-minute meeting, then wait.

Flow from research/platforms.md §5.2: sign in with the teammate's event account, the **People**
tab (search, person cards with "Suggest Meeting"), the person's networking availability in
15-minute slots shown in your time and theirs, a personal message, "Send request". The request is
*pending* until the person accepts (the meeting appears in **Schedule** with a table number),
declines, or proposes another time; :meth:`SlushMatchmaking.check_status` re-reads that for the
confirmation monitor. Tickets limit requests ("Meeting requests remaining"): read before sending
and reported, and a quota of 0 stops the booking with a clear sentence.

Credentials never appear in logs, errors or screenshots: errors show the login masked, and a
failed sign-in clears the password field before the failure screenshot is taken.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Iterator
from urllib.parse import parse_qs, urlsplit, urlunsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from booking.credentials import Credentials
from booking.errors import BookingError, FieldCannotBeFilled, PageChanged, SlotTaken
from booking.mail_signals import PlatformMailSignals
from booking.platforms.base import Invitee, Person, Platform, StatusCheck, SubmitResult
from booking.slots import Interval, OfferedSlot, parse_iso

CSS = By.CSS_SELECTOR

SIGN_IN_FORM = (CSS, '[data-testid="sign-in-form"]')
SIGN_IN_EMAIL = (CSS, '[data-testid="sign-in-form"] input[name="email"]')
SIGN_IN_PASSWORD = (CSS, '[data-testid="sign-in-form"] input[type="password"]')
SIGN_IN_BUTTON = (By.XPATH, '//*[@data-testid="sign-in-form"]//button[normalize-space(.)="Sign in"]')
SIGN_IN_ALERT = (CSS, '[data-testid="sign-in-form"] [role="alert"]')
PEOPLE_LIST = (CSS, '[data-testid="people-list"]')
SEARCH = (CSS, 'input[type="search"]')
QUOTA = (CSS, '[data-testid="requests-remaining"]')
PROFILE = (CSS, '[data-testid="profile"]')
PROFILE_NAME = (CSS, '[data-testid="profile"] [data-testid="profile-name"]')
TIMESLOTS_LOADED = (CSS, '[data-testid="profile"] [data-testid="timeslots"][data-loaded="true"]')
MESSAGE_BOX = (CSS, '[data-testid="request-form"] textarea[name="message"]')
SEND_BUTTON = (CSS, '[data-testid="request-form"] [data-testid="send-request"]')
REQUEST_ALERT = (CSS, '[data-testid="request-form"] [role="alert"]')
MEETING_LOADED = (CSS, '[data-testid="meeting"][data-loaded="true"]')
SCHEDULE_LOADED = (CSS, '[data-testid="schedule"][data-loaded="true"]')

_QUOTA_NUMBER = re.compile(r"remaining:\s*(\d+)", re.IGNORECASE)
_EVENT_PATH = re.compile(r"^(?P<base>/events/[A-Za-z0-9_-]+)(?:/|$)")
SLOT_LENGTH = timedelta(minutes=15)

_READ_CARDS_JS = """
return Array.from(document.querySelectorAll('[data-testid="person-card"]')).map(c => [
  c.getAttribute('data-attendee-id'),
  (c.querySelector('.person-card__name') || {}).textContent || '',
  (c.querySelector('.person-card__company') || {}).textContent || ''
].map(s => s.trim()));
"""
# Each slot: [machine start (UTC), "your time" ISO with offset, the visible "your time" text].
_READ_SLOTS_JS = """
return Array.from(document.querySelectorAll('[data-testid="profile"] [data-testid="timeslot"]')).map(b => {
  const mine = b.querySelector('.timeslot__mine time');
  return [b.getAttribute('data-start'), mine ? mine.getAttribute('datetime') : null,
          (b.querySelector('.timeslot__mine') || b).textContent.trim()];
});
"""
_CLEAR_PASSWORD_JS = "document.querySelectorAll('input[type=password]').forEach(f => { f.value = ''; });"

STATUS_WORDS = {
    "pending": "pending", "requested": "pending", "suggested": "pending",
    "accepted": "accepted", "confirmed": "accepted",
    "declined": "declined", "rejected": "declined",
    "reschedule_requested": "rescheduled",
    "cancelled": "cancelled", "canceled": "cancelled",
}


# The app's notification e-mails ("[Slush 2026] Bob Jones declined your meeting request"). [U] invented:
# Brella's mails are undocumented (research §5.2); the senders are Brella's and Slush's own domains.
MAIL_SIGNALS = PlatformMailSignals(
    sender_domains=("brella.io", "slush.com"),
    states=(
        ("declined", re.compile(r"\bdeclined your meeting request\b", re.I)),
        ("cancelled", re.compile(r"\bcancel+ed (your|the) meeting\b", re.I)),
        ("rescheduled", re.compile(r"\b(suggested|proposed) a new time\b", re.I)),
        ("confirmed", re.compile(r"\baccepted your meeting request\b", re.I)),
    ),
    booking_id=re.compile(r"/events/[A-Za-z0-9_-]+/meetings/(?P<id>[A-Za-z0-9-]+)"),
    person=re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<person>.+?) (?:accepted|declined|cancel+ed|suggested|proposed)\b", re.I),
    location=re.compile(r"^Where:\s*(?P<location>[^,\n]+)", re.M),
)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


class SlushMatchmaking(Platform):
    name = "slush_platform"
    label = "Slush matchmaking"
    # Brella's web app and white-label hosts; the event's own host comes from BOOKER_SLUSH_HOSTS.
    url_patterns = (
        r"(?!api\.)([a-z0-9-]+\.)?brella\.io/events/[A-Za-z0-9_-]+(/[^?#]*)?",
        r"(next\.)?brella\.io/join/[A-Za-z0-9_-]+/?",
    )
    confirms_on_submit = False
    checks_status = True
    mail_signals = MAIL_SIGNALS

    def __init__(self, page, options=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(page, options)
        self.event_base: str | None = None     # "https://host/events/<slug>"
        self.quota: int | None = None
        self.person_name: str | None = None
        self._deep_linked = False

    @classmethod
    def configured_hosts(cls, settings) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        return tuple(settings.slush_hosts) if settings is not None else ()

    # -- signing in -------------------------------------------------------------------------------
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

    def _sign_in_if_asked(self, ready: list[tuple[tuple[str, str], str]], what: str) -> str:
        """Wait for one of ``ready`` (or the sign-in form, then sign in); return the ready key."""
        key, _ = self.page.first_visible([(SIGN_IN_FORM, "sign_in"), *ready], what)
        if key != "sign_in":
            return key
        credentials = self._credentials()
        self.page.fill(SIGN_IN_EMAIL, credentials.login, "the sign-in e-mail field")
        self.page.fill_secret(SIGN_IN_PASSWORD, credentials.password, "the password field")
        self.page.click(SIGN_IN_BUTTON, "the Sign in button")

        def outcome(driver: WebDriver) -> str | bool:
            for locator, name in ready:
                if any(e.is_displayed() for e in driver.find_elements(*locator)):
                    return name
            alerts = [a.text.strip() for a in driver.find_elements(*SIGN_IN_ALERT) if a.is_displayed() and a.text.strip()]
            return f"error:{alerts[0]}" if alerts else False

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
        return result

    def _clear_password(self) -> None:
        try:
            self.page.driver.execute_script(_CLEAR_PASSWORD_JS)
        except Exception:  # the page is gone: nothing left to show
            pass

    # -- open, quota, people ----------------------------------------------------------------------
    def open(self, url: str) -> None:
        parts = urlsplit(url)
        match = _EVENT_PATH.match(parts.path)
        if not match:
            raise BookingError(f"{url[:200]} is not a Slush matchmaking event page (…/events/<event>/people)")
        self.event_base = urlunsplit((parts.scheme, parts.netloc, match.group("base"), "", ""))
        profile = parse_qs(parts.query).get("profile", [None])[0]
        target = f"{self.event_base}/people" + (f"?profile={profile}" if profile else "")
        self.page.goto(target)
        self._sign_in_if_asked([(PEOPLE_LIST, "people")], "the People tab")
        self.quota = self._read_quota()
        if self.quota <= 0:
            raise BookingError(
                "Your Slush matchmaking account has no meeting requests remaining (0); "
                "cancel a pending request in the app to get one back, then retry"
            )
        if profile:
            self._deep_linked = True
            self._wait_profile()

    def _read_quota(self) -> int:
        def number(driver: WebDriver) -> int | bool:
            for element in driver.find_elements(*QUOTA):
                match = _QUOTA_NUMBER.search(element.text)
                if match:
                    return int(match.group(1)) + 1  # +1 so that a quota of 0 is truthy for the wait
            return False

        return self.page.wait_for(number, "the meeting requests remaining") - 1

    def _search(self, text: str) -> list[tuple[str, str, str]]:
        self.page.fill(SEARCH, text, "the people search box")
        wanted = text

        def results(driver: WebDriver) -> list[tuple[str, str, str]] | bool:
            box = driver.find_element(*PEOPLE_LIST)
            if box.get_attribute("data-loading") != "false" or box.get_attribute("data-query") != wanted:
                return False
            return [tuple(card) for card in driver.execute_script(_READ_CARDS_JS)] or [("", "", "")]

        return [card for card in self.page.wait_for(results, f"search results for {text!r}") if card[0]]

    def _of_startup(self, company: str) -> bool:
        startup, listed = _normal(self.context.startup_name), _normal(company)
        return bool(startup) and (startup in listed or (bool(listed) and listed in startup))

    def people(self) -> list[str]:
        """The configured people, whom ``choose_person`` finds by name; with none configured, the
        startup's team as the People search shows it (a company name match)."""
        if self._deep_linked:
            return []
        if self.context.people:
            return list(self.context.people)
        if "://" in self.context.startup_name or not _normal(self.context.startup_name):
            return []
        return [name for _, name, company in self._search(self.context.startup_name.strip()) if self._of_startup(company)]

    def choose_person(self, person: Person) -> bool:
        """Suggest a meeting to ``person``: their card if the list shows it with the startup's name as
        company (no search needed), else the first card of that exact name the People search finds."""
        if self._deep_linked:
            return False
        wanted = person.name.casefold()
        shown = [tuple(card) for card in self.page.driver.execute_script(_READ_CARDS_JS)]
        attendee_id = next((a for a, name, company in shown if name.casefold() == wanted and self._of_startup(company)), None)
        if attendee_id is None:
            attendee_id = next((a for a, name, _ in self._search(person.name) if name.casefold() == wanted), None)
        if attendee_id is None:
            return False
        self.page.click((CSS, f'[data-testid="person-card"][data-attendee-id="{attendee_id}"] button'),
                        f"Suggest Meeting for {person.name}")
        self._wait_profile(person.name)
        return True

    def _wait_profile(self, name: str | None = None) -> None:
        self.page.find(TIMESLOTS_LOADED, "the person's networking availability")
        shown = self.page.find(PROFILE_NAME, "the person's name").text.strip()
        if name and shown.casefold() != name.casefold():
            raise PageChanged(self.label, f"the profile of {name}")
        self.person_name = shown

    # -- slots --------------------------------------------------------------------------------------
    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        if not self.page.exists(TIMESLOTS_LOADED):
            raise BookingError(
                "On Slush matchmaking Booker needs to know whom to meet: add the startup's people to its config "
                "or book a profile link (…/people?profile=<id>)"
            )
        for start_utc, mine, text in self.page.driver.execute_script(_READ_SLOTS_JS):
            try:
                start = parse_iso(mine or start_utc)  # "your time" carries its offset
            except ValueError:
                raise PageChanged(self.label, f"a readable time slot (saw {text!r})") from None
            if window.start <= start <= window.end:
                yield OfferedSlot(start, start + SLOT_LENGTH, text.replace("your time", "").strip(), ref=start_utc)

    def choose_slot(self, slot: OfferedSlot) -> None:
        locator = (CSS, f'[data-testid="timeslot"][data-start="{slot.ref}"]')
        if not self.page.exists(locator):
            raise SlotTaken(f"{slot.label} is no longer offered")
        self.page.click(locator, f"the slot {slot.label}")
        self.page.find(MESSAGE_BOX, "the message box")

    def fill_details(self, invitee: Invitee, message: str) -> None:
        box = self.page.find(MESSAGE_BOX, "the message box")
        limit = box.get_attribute("maxlength")
        if limit and limit.isdigit() and len(message) > int(limit):
            raise FieldCannotBeFilled(
                f"The intro message is {len(message)} characters; Slush matchmaking takes at most {limit}"
            )
        self.page.fill(MESSAGE_BOX, message, "the message box")
        self.quota = self._read_quota()

    def pre_submit_note(self) -> str | None:
        if self.quota is None:
            return None
        return f"Meeting requests remaining on Slush matchmaking: {self.quota} (this request uses one)"

    def submit(self) -> SubmitResult:
        if self._read_quota() <= 0:
            raise BookingError("Your Slush matchmaking account has no meeting requests remaining (0); nothing was sent")
        self.page.click(SEND_BUTTON, "the Send request button")

        def outcome(driver: WebDriver) -> str | bool:
            for element in driver.find_elements(*MEETING_LOADED):
                return f"sent:{element.get_attribute('data-meeting-id')}"
            alerts = [a.text.strip() for a in driver.find_elements(*REQUEST_ALERT) if a.is_displayed() and a.text.strip()]
            return f"error:{alerts[0]}" if alerts else False

        result = self.page.wait_for(outcome, "the sent request")
        if result.startswith("error:"):
            text = result.removeprefix("error:")
            if "no longer available" in text.lower():
                raise SlotTaken(f"Slush matchmaking said: {text}")
            raise BookingError(f"Slush matchmaking did not send the request: {text}")
        request_id = result.removeprefix("sent:")
        remaining = (self.quota - 1) if self.quota is not None else None
        left = f" ({remaining} requests remaining)" if remaining is not None else ""
        return SubmitResult(
            confirmed=False,
            external_booking_id=request_id,
            host_name=self.person_name,
            summary=f"Meeting request sent to {self.person_name}; it stays pending until they accept{left}.",
            status_url=self.page.current_url.split("?")[0],
            extra={"requests_remaining": str(remaining)} if remaining is not None else {},
        )

    # -- after sending: what the confirmation monitor calls -----------------------------------------
    def _meeting_page(self, booking_url: str, request_id: str) -> dict[str, str | None]:
        self.open_event(booking_url)
        self.page.goto(f"{self.event_base}/meetings/{request_id}")
        self._sign_in_if_asked([(MEETING_LOADED, "meeting")], "the meeting request")
        return self.page.driver.execute_script(
            """
            const m = document.querySelector('[data-testid="meeting"]');
            const t = (sel, attr) => { const e = m.querySelector(sel); return e ? (attr ? e.getAttribute(attr) : e.textContent.trim()) : null; };
            return {status: m.getAttribute('data-status'), start: t('[data-testid="meeting-time"]', 'datetime'),
                    proposed: t('[data-testid="proposed-time"]', 'datetime'), table: t('[data-testid="meeting-table"]'),
                    error: t('[role="alert"]')};
            """
        )

    def open_event(self, booking_url: str) -> None:
        parts = urlsplit(booking_url)
        match = _EVENT_PATH.match(parts.path)
        if not match:
            raise BookingError(f"{booking_url[:200]} is not a Slush matchmaking event page")
        self.event_base = urlunsplit((parts.scheme, parts.netloc, match.group("base"), "", ""))

    def check_status(self, booking_url: str, external_booking_id: str) -> StatusCheck:
        """The request as the app shows it: pending, accepted (time + table from Schedule), declined,
        rescheduled (the newly proposed time) or cancelled."""
        seen = self._meeting_page(booking_url, external_booking_id)
        if seen.get("error") or not seen.get("status"):
            raise BookingError(f"Slush matchmaking does not show the request {external_booking_id}: {seen.get('error')}")
        state = STATUS_WORDS.get(str(seen["status"]))
        if state is None:
            raise PageChanged(self.label, f"a known request status (saw {seen['status']!r})")
        start = parse_iso(seen["start"]) if seen.get("start") else None
        if state == "rescheduled":
            proposed = parse_iso(seen["proposed"]) if seen.get("proposed") else None
            return StatusCheck("rescheduled", proposed, None, f"They suggested another time (was {start:%H:%M})"
                               if start else "They suggested another time")
        if state == "accepted":
            table, scheduled = self._schedule_entry(external_booking_id)
            return StatusCheck("accepted", scheduled or start, table or seen.get("table"), "Accepted in the app")
        detail = {"pending": "Still waiting for an answer", "declined": "Declined in the app",
                  "cancelled": "Cancelled in the app"}[state]
        return StatusCheck(state, start, None, detail)  # type: ignore[arg-type]

    def _schedule_entry(self, request_id: str) -> tuple[str | None, datetime | None]:
        """Accepted meetings are listed in Schedule with their table number (§5.2)."""
        self.page.goto(f"{self.event_base}/schedule")
        self._sign_in_if_asked([(SCHEDULE_LOADED, "schedule")], "the Schedule")
        entry = self.page.driver.execute_script(
            """
            const li = document.querySelector('[data-testid="schedule-item"][data-meeting-id="' + arguments[0] + '"]');
            if (!li) return null;
            const t = li.querySelector('time'), table = li.querySelector('[data-testid="schedule-table"]');
            return [table ? table.textContent.trim() : null, t ? t.getAttribute('datetime') : null];
            """,
            request_id,
        )
        if not entry:
            return None, None
        return entry[0], parse_iso(entry[1]) if entry[1] else None

    def respond_to_reschedule(self, booking_url: str, request_id: str, accept: bool) -> StatusCheck:
        """Accept or decline the new time the person proposed; returns the status afterwards."""
        seen = self._meeting_page(booking_url, request_id)
        if seen.get("status") != "reschedule_requested":
            raise BookingError(f"The request {request_id} has no new time to answer (it is {seen.get('status')})")
        button = "yes" if accept else "no"
        self.page.click((CSS, f'[data-testid="reschedule"] [data-answer="{button}"]'),
                        "Accept new time" if accept else "Decline")
        self.page.wait_for(
            lambda d: d.find_element(*MEETING_LOADED).get_attribute("data-status") not in (None, "reschedule_requested"),
            "the answer to be saved",
        )
        return self.check_status(booking_url, request_id)
