"""Calendly: profile/team pages, the month calendar, the time list, the details form.

Hooks from research/platforms.md §1: day buttons by ``aria-label`` ("Monday, January 6 - Times
available"), ``data-container="time-button"`` slots with ``data-start-time="4:00pm"``, the inserted
"Next 4:00pm" button, ``full_name`` (or ``first_name``/``last_name``), ``email``, ``question_N``,
"Schedule Event", then "You are scheduled". Calendly confirms on submit.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Iterator
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from booking.errors import FieldCannotBeFilled, PageChanged, SlotTaken
from booking.browser import Page
from booking.platforms.base import Invitee, Person, Platform, PlatformOptions, SubmitResult, Widget
from booking.slots import Interval, OfferedSlot, localize, parse_clock

CSS = By.CSS_SELECTOR

EVENT_CARD_TITLE = (CSS, 'div[data-id="event-type-header-title"]')
CALENDAR = (CSS, '[data-testid="calendar"]')
MONTH_TITLE = (CSS, '[data-testid="calendar"] [data-testid="title"]')
NEXT_MONTH = (CSS, 'button[aria-label="Go to next month"]')
PREVIOUS_MONTH = (CSS, 'button[aria-label="Go to previous month"]')
DAY_BUTTONS = 'table[aria-label="Select a Day"] button[aria-label]'
TIMES_SUBTITLE = (CSS, '[data-component="spotpicker-times-subtitle"]')
TIME_BUTTONS = '[data-component="spotpicker-times-list"] button[data-container="time-button"]'
DETAILS_FORM = (CSS, '[data-container="details"]')
FULL_NAME = (CSS, 'input[name="full_name"], #full_name_input')
FIRST_NAME = (CSS, 'input[name="first_name"]')
LAST_NAME = (CSS, 'input[name="last_name"]')
EMAIL = (CSS, 'input[name="email"], #email_input')
SCHEDULE_BUTTON = (By.XPATH, '//button[@type="submit"][contains(normalize-space(.), "Schedule Event")]')
ERROR_ALERT = (CSS, '[role="alert"]')
CONFIRMATION_TEXT = "You are scheduled"
TIMEZONE_BUTTON = (CSS, '[data-testid="timezone-button"]')

_DAY_LABEL = re.compile(r"^\w+, (?P<month>[A-Za-z]+) (?P<day>\d{1,2}) - Times available$")
_SCHEDULED_WITH = re.compile(r"You are scheduled with (?P<host>[^.\n]+)")
_INVITEE_ID = re.compile(r"/invitees/(?P<uuid>[0-9A-Za-z-]+)")
_DURATION = re.compile(r"\b(?P<minutes>\d{1,3})\s*min", re.IGNORECASE)

# One round trip instead of dozens: read every day button / time button of the current view.
_READ_DAYS_JS = """
return Array.from(document.querySelectorAll(arguments[0])).map(b => [b.getAttribute('aria-label'), b.disabled]);
"""
_DAY_SELECTED_JS = """
const cell = document.querySelector('td[aria-selected="true"] button[aria-label^="' + arguments[0] + ' - "]');
return !!cell;
"""
_READ_TIMES_JS = """
const subtitle = document.querySelector('[data-component="spotpicker-times-subtitle"]');
return [subtitle ? subtitle.textContent.trim() : null,
        Array.from(document.querySelectorAll(arguments[0])).map(b => b.getAttribute('data-start-time'))];
"""


def day_heading(day: date) -> str:
    """How Calendly titles a day's time list: "Monday, January 6"."""
    return f"{day:%A}, {day:%B} {day.day}"


class Calendly(Platform):
    name = "calendly"
    label = "Calendly"
    url_patterns = (
        r"(www\.)?calendly\.com/(?!app/|api/|cancellations/|reschedulings/)[A-Za-z0-9_.-]+(/[A-Za-z0-9_.:+-]+){0,2}/?",
    )
    confirms_on_submit = True

    ready_hooks = ((CALENDAR, "calendar"), (EVENT_CARD_TITLE, "profile"), (DETAILS_FORM, "details"))
    # The inline embed: widget.js puts an iframe into the container, else its data-url is opened.
    embed_widgets = (Widget((CSS, ".calendly-inline-widget"), url_attribute="data-url"),)

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.event_url: str | None = None
        self.duration = timedelta(minutes=30)
        self.zone: str = "UTC"

    # -- open and choose a person -----------------------------------------------------------------
    def on_ready(self, key: str) -> None:
        if key == "calendar":
            self._on_booking_page()

    def _cards(self) -> list[tuple[str, str, str]]:
        """(title, host name, link) of each event-type card on a profile or team page."""
        return self.page.driver.execute_script(
            """
            return Array.from(document.querySelectorAll('div[data-id="event-type-header-title"]')).map(t => {
              const card = t.closest('a') || t.parentElement;
              const host = card.querySelector('[data-id="event-type-host"]');
              return [t.textContent.trim(), host ? host.textContent.trim() : '', card.href || ''];
            });
            """
        )

    def people(self) -> list[str]:
        if not self.page.exists(EVENT_CARD_TITLE):
            return []
        return [host for _, host, _ in self._cards() if host]

    def choose_person(self, person: Person) -> bool:
        if not self.page.exists(EVENT_CARD_TITLE):
            return False
        wanted = person.name.casefold()
        for title, host, link in self._cards():
            if host.casefold() == wanted and link:
                self._open_event(link)
                return True
        return False

    def _open_event(self, link: str) -> None:
        self.page.goto(link)
        self.page.find(CALENDAR, "the calendar")
        self._on_booking_page()

    def ensure_booking_page(self) -> None:
        """On a single-host profile page, open its first event type."""
        if self.event_url is None:
            cards = self._cards()
            if not cards:
                raise PageChanged(self.label, "an event type or the calendar")
            self._open_event(cards[0][2])

    def _on_booking_page(self) -> None:
        parts = urlsplit(self.page.current_url)
        self.event_url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        side = self.page.find((CSS, '[data-container="side-panel"]'), "the event details panel", visible=False)
        match = _DURATION.search(side.text or "")
        if match:
            self.duration = timedelta(minutes=int(match.group("minutes")))
        self.zone = self._display_zone()

    def _display_zone(self) -> str:
        """The zone the page shows times in: its time-zone control, else the browser's zone."""
        for element in self.page.find_all(TIMEZONE_BUTTON):
            zone = element.get_attribute("data-timezone")
            if zone:
                return zone
        return self.page.driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC"

    # -- slots ------------------------------------------------------------------------------------
    def _month(self) -> date:
        title = self.page.find(MONTH_TITLE, "the month title").text.strip()
        try:
            return datetime.strptime(title, "%B %Y").date()
        except ValueError:
            raise PageChanged(self.label, f"a readable month title (saw {title!r})") from None

    def _available_days(self, month: date) -> list[date]:
        days = []
        for label, disabled in self.page.driver.execute_script(_READ_DAYS_JS, DAY_BUTTONS):
            match = _DAY_LABEL.match(label or "")
            if match and not disabled:
                days.append(date(month.year, month.month, int(match.group("day"))))
        return days

    def _go_to_month(self, target: date) -> None:
        for _ in range(24):
            current = self._month()
            if (current.year, current.month) == (target.year, target.month):
                return
            button = NEXT_MONTH if current < target else PREVIOUS_MONTH
            self.page.click(button, "the month navigation button")
            self.page.wait_for(lambda d: self._month() != current, "the next month to show")
        raise PageChanged(self.label, f"the month {target:%B %Y}")

    def _select_day(self, day: date) -> list[str]:
        """Select ``day`` (unless it is selected already, e.g. from ``?date=``) and return its time labels."""
        heading = day_heading(day)
        self._go_to_month(day)
        selected = self.page.driver.execute_script(_DAY_SELECTED_JS, heading)
        if not selected:
            locator = (CSS, f'table[aria-label="Select a Day"] button[aria-label^="{heading} - "]')
            self.page.click(locator, f"the day {heading}")

        def times_for_day(driver: WebDriver) -> list[str] | bool:
            shown, labels = driver.execute_script(_READ_TIMES_JS, TIME_BUTTONS)
            return labels if shown == heading and labels else False

        times = self.page.wait_for(times_for_day, f"the times for {heading}")
        return [label for label in times if label]

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self.ensure_booking_page()
        zone = ZoneInfo(self.zone)
        first_day = window.start.astimezone(zone).date()
        last_day = (window.end - timedelta(microseconds=1)).astimezone(zone).date()  # the end is exclusive
        month = self._month()
        if month < first_day.replace(day=1):
            self._go_to_month(first_day)
            month = self._month()
        while month <= last_day:
            for day in self._available_days(month):
                if not first_day <= day <= last_day:
                    continue
                for label in self._select_day(day):
                    start = localize(day, parse_clock(label), self.zone)
                    yield OfferedSlot.lasting(start, self.duration, label, ref=(day, label))
            next_button = self.page.find_all(NEXT_MONTH)
            if not next_button or not next_button[0].is_enabled():
                return
            self._go_to_month(date(month.year + month.month // 12, month.month % 12 + 1, 1))
            month = self._month()

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, label = slot.ref
        if not self.page.exists(CALENDAR):
            query = urlencode({"month": f"{day:%Y-%m}", "date": day.isoformat()})
            self.page.goto(f"{self.event_url}?{query}")
            self.page.find(CALENDAR, "the calendar")
        if label not in self._select_day(day):
            raise SlotTaken(f"{label} on {day_heading(day)} is no longer offered")
        self.page.click((CSS, f'button[data-container="time-button"][data-start-time="{label}"]'), f"the time {label}")
        self.page.click((CSS, f'button[aria-label="Next {label}"]'), f"the Next button for {label}")
        self.page.find(DETAILS_FORM, "the details form")

    # -- form and submit --------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        self.page.find(EMAIL, "the e-mail field")
        if self.page.exists(FULL_NAME):
            self.page.fill(FULL_NAME, invitee.name, "the name field")
        else:
            self.page.fill(FIRST_NAME, invitee.first_name, "the first-name field")
            self.page.fill(LAST_NAME, invitee.last_name or invitee.first_name, "the last-name field")
        self.page.fill(EMAIL, invitee.email, "the e-mail field")
        message_placed = False
        for name, label, required, tag in self._questions():
            locator = (CSS, f'[name="{name}"]')
            if not message_placed and tag == "textarea":
                self.page.fill(locator, message, f"the question {label!r}")
                message_placed = True
                continue
            answer = invitee.answer_for(label)
            if answer:
                self.page.fill(locator, answer, f"the question {label!r}")
            elif required:
                raise FieldCannotBeFilled(f"The Calendly form requires {label!r}, which Booker can't answer")
        if not message_placed:
            raise FieldCannotBeFilled("The Calendly form has no field for the intro message")

    def _questions(self) -> list[tuple[str, str, bool, str]]:
        return self.page.driver.execute_script(
            """
            return Array.from(document.querySelectorAll('[data-container="details"] [name^="question_"]')).map(f => {
              const label = document.querySelector('label[for="' + f.id + '"]');
              return [f.name, label ? label.textContent.replace('*', '').trim() : f.name, f.required, f.tagName.toLowerCase()];
            });
            """
        )

    def submit(self) -> SubmitResult:
        self.page.click(SCHEDULE_BUTTON, "the Schedule Event button")

        def outcome(driver: WebDriver) -> str | bool:
            if CONFIRMATION_TEXT in driver.find_element(By.TAG_NAME, "body").text:
                return "confirmed"
            alerts = [a.text for a in driver.find_elements(*ERROR_ALERT) if a.is_displayed() and a.text.strip()]
            return f"error:{alerts[0]}" if alerts else False

        result = self.page.wait_for(outcome, "the confirmation page")
        if result.startswith("error:"):
            text = result.removeprefix("error:")
            if "no longer available" in text.lower():
                raise SlotTaken(f"Calendly said: {text}")
            raise PageChanged(self.label, f"a confirmation (the page said {text!r})")
        body = self.page.text_of((By.TAG_NAME, "body"), "the confirmation page")
        host = _SCHEDULED_WITH.search(body)
        invitee_id = _INVITEE_ID.search(self.page.current_url)
        return SubmitResult(
            confirmed=True,
            external_booking_id=invitee_id.group("uuid") if invitee_id else None,
            host_name=host.group("host").strip() if host else None,
            summary=host.group(0).strip() + "." if host else CONFIRMATION_TEXT,
            status_url=self.page.current_url,
        )
