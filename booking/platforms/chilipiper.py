"""Chili Piper: the guest form first, the concierge's "Schedule a meeting", the week calendar, confirm.

Hooks from research/platforms.md §4: ``input[name="FirstName"|"LastName"|"Email"|"Phone"]`` and
custom fields named by GUID, ``[data-test-id="GuestForm-submit-button"]``, the concierge choice
``[data-test-id="ConciergeLiveBox-book"]``, day buttons ``[data-id="calendar-day-button"]`` (the
selected one ``…-selected``; ``data-test-id="days:Dec/Wed Dec 02 2026"``), ``[data-id="time-slot-button"]``
("9:30 AM"), ``[data-id="next-week-button"]``. The confirm step and the final screen are not
documented anywhere public ([U]); the module keys on ``[data-id="confirm-button"]`` and
``[data-id="booking-confirmed"]`` as the replica renders them.

The guest form comes before any time is shown (``asks_details_first``), so the intro message goes
into its free-text field without naming a slot. Times carry no zone: the page names its zone in a
label ("Eastern European Standard Time (10:00 AM)"), which the browser resolves to an IANA zone,
preferring the teammate's and the ``timezone=`` the URL passes.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Iterator
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser import Page
from booking.errors import FieldCannotBeFilled, PageChanged, SlotTaken
from booking.platforms.base import Invitee, Platform, PlatformOptions, SubmitResult, Widget
from booking.platforms.zones import browser_zone, zone_for_label
from booking.slots import Interval, OfferedSlot, localize, parse_clock

CSS = By.CSS_SELECTOR

GUEST_EMAIL = (CSS, 'input[name="Email"]')
GUEST_SUBMIT = (CSS, '[data-test-id="GuestForm-submit-button"], form button[type="submit"]')
SCHEDULE_CHOICE = (CSS, '[data-test-id="ConciergeLiveBox-book"], [data-id="concierge-live-book"]')
DAY_BUTTONS = '[data-id="calendar-day-button"], [data-id="calendar-day-button-selected"]'
DAY = (CSS, DAY_BUTTONS)
SELECTED_DAY = (CSS, '[data-id="calendar-day-button-selected"]')
TIME_SLOT = '[data-id="time-slot-button"]'
_SLOT_TEXTS_JS = "return Array.from(document.querySelectorAll(arguments[0])).map(b => b.innerText.trim())"
_SLOT_BUTTON_JS = ("return Array.from(document.querySelectorAll(arguments[0]))"
                   ".find(b => b.innerText.trim() === arguments[1]) || null")
NEXT_WEEK = (CSS, '[data-id="next-week-button"]')
PREVIOUS_WEEK = (CSS, '[data-id="previous-week-button"]')
ZONE_LABEL = (CSS, '[data-id="timezone-button"]')  # [U] the label's hook
CONFIRM = (CSS, '[data-id="confirm-button"]')  # [U]
BACK = (CSS, '[data-id="back-button"]')  # [U]
BOOKED = (CSS, '[data-id="booking-confirmed"]')  # [U]
ALERT = (CSS, '[role="alert"]')

_DAY_ID = re.compile(r"^days:[A-Za-z]{3}/[A-Za-z]{3} (?P<mon>[A-Za-z]{3}) (?P<day>\d{1,2}) (?P<year>\d{4})")
_ZONE = re.compile(r"^(?P<name>.+?)\s*\((?P<clock>\d{1,2}:\d{2}\s*[AP]M)\)\s*$", re.I)
_WITH = re.compile(r"Your meeting with (?P<host>[^.\n]+?) is confirmed")

_READ_DAYS_JS = """
return Array.from(document.querySelectorAll(arguments[0])).map(b =>
  [b.getAttribute('data-test-id') || '', !b.disabled, b.getAttribute('data-id').endsWith('-selected')]);
"""
_GUEST_FIELDS_JS = """
const form = document.querySelector('input[name="Email"]').closest('form');
return Array.from(form.querySelectorAll('input[name], textarea[name], select[name]')).filter(f => f.type !== 'hidden').map(f => {
  const label = form.querySelector('label[for="' + f.id + '"]');
  return [f.name, label ? label.textContent.replace(/\\s*\\*$/, '').trim() : f.name, f.required, f.tagName.toLowerCase()];
});
"""


def parse_day_id(test_id: str) -> date | None:
    """``days:Dec/Wed Dec 02 2026…`` → 2026-12-02."""
    match = _DAY_ID.match(test_id or "")
    if not match:
        return None
    return datetime.strptime(f"{match.group('mon')} {match.group('day')} {match.group('year')}", "%b %d %Y").date()


class ChiliPiper(Platform):
    name = "chilipiper"
    label = "Chili Piper"
    url_patterns = (
        r"(?!www\.|help\.|api\.|app\.|fire\.)[a-z0-9-]+(\.na)?\.chilipiper\.com/"
        r"(book/(me/)?(?!reschedule/?$)[A-Za-z0-9_.-]+|me/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?"
        r"|concierge-router/(link/)?[A-Za-z0-9_.-]+)/?",
    )
    confirms_on_submit = True
    asks_details_first = True
    ready_hooks = ((GUEST_EMAIL, "guest"), (SCHEDULE_CHOICE, "choice"), (DAY, "calendar"))
    # The concierge router opens inside an iframe on the startup's own page (DS: its title)
    embed_widgets = (Widget((CSS, 'iframe[title="Schedule a time | Chili Piper"]'), frame=""),)

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.zone: str | None = None
        self.duration = timedelta(minutes=30)

    # -- the guest form (before any time) ---------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        if not self.page.exists(GUEST_EMAIL):
            raise FieldCannotBeFilled("The Chili Piper page shows no guest form, so the intro message has nowhere to go")
        known = {"FirstName": invitee.first_name, "LastName": invitee.last_name or invitee.first_name,
                 "Email": invitee.email, "Phone": invitee.phone}
        message_placed = False
        for name, label, required, tag in self.page.driver.execute_script(_GUEST_FIELDS_JS):
            locator = (CSS, f'form [name="{name}"]')
            if name in known:
                answer = known[name]
            elif tag == "textarea" and not message_placed:
                self.page.fill(locator, message, f"the field {label!r}")
                message_placed = True
                continue
            else:
                answer = invitee.answer_for(label)
            if answer:
                self.page.fill(locator, answer, f"the field {label!r}")
            elif required:
                raise FieldCannotBeFilled(f"The Chili Piper form requires {label!r}, which Booker can't answer")
        if not message_placed:
            raise FieldCannotBeFilled("The Chili Piper form has no field for the intro message")
        self.page.click(GUEST_SUBMIT, "the guest form's Submit button")
        key, _ = self.page.first_visible([(SCHEDULE_CHOICE, "choice"), (DAY, "calendar")],
                                         "the calendar after the guest form")
        if key == "choice":
            self.page.click(SCHEDULE_CHOICE, "the Schedule a meeting button")
            self.page.find(DAY, "the week calendar")

    # -- the zone ---------------------------------------------------------------------------------
    def _settle_zone(self) -> None:
        text = self.page.find(ZONE_LABEL, "the time-zone label").text.strip()
        match = _ZONE.match(text)
        if not match:
            raise PageChanged(self.label, f"a readable time-zone label (saw {text!r})")
        url_zone = parse_qs(urlsplit(self.page.current_url).query).get("timezone", [""])[0]
        preferred = [self.options.timezone or "", url_zone, browser_zone(self.page), "UTC"]
        self.zone = zone_for_label(self.page, match.group("name"), preferred)
        if self.zone is None:
            raise PageChanged(self.label, f"a time zone Booker knows (the page shows {match.group('name')!r})")

    # -- slots ------------------------------------------------------------------------------------
    def _days(self) -> list[tuple[date, bool, bool]]:
        self.page.find(DAY, "the week calendar's day buttons")
        days = []
        for test_id, enabled, selected in self.page.driver.execute_script(_READ_DAYS_JS, DAY_BUTTONS):
            day = parse_day_id(test_id)
            if day:
                days.append((day, enabled, selected))
        if not days:
            raise PageChanged(self.label, "readable day buttons (data-test-id=\"days:…\")")
        return days

    def _select_day(self, day: date) -> list[str]:
        """Select ``day`` in the shown week and return its slot texts ("9:30 AM")."""
        current = {d: (enabled, selected) for d, enabled, selected in self._days()}
        if day not in current:
            raise PageChanged(self.label, f"the day {day:%a %d %b}")
        if not current[day][1]:
            self.page.click((CSS, f'[data-id="calendar-day-button"][data-test-id^="days:{day:%b}/{day:%a %b %d %Y}"]'),
                            f"the day {day:%a %d %b}")
            self.page.wait_for(lambda d: any(x == day and s for x, _, s in self._days()), f"{day:%a %d %b} to be selected")
        info = f"{day:%A}, {day:%B} {day.day}"
        self.page.wait_for(lambda d: d.find_element(CSS, '[data-id="selected-day-info"]').text.strip() == info,
                           f"the times of {info}")
        return list(self.page.driver.execute_script(_SLOT_TEXTS_JS, TIME_SLOT))  # one call, not one per slot

    def _week_of(self, day: date) -> None:
        """Move the week view until it shows ``day``."""
        for _ in range(60):
            days = [d for d, _, _ in self._days()]
            if day in days:
                return
            button = NEXT_WEEK if day > days[-1] else PREVIOUS_WEEK
            found = self.page.find_all(button)
            if not found or not found[0].is_enabled():
                raise SlotTaken(f"{day:%a %d %b} is no longer on Chili Piper's calendar")
            first = days[0]
            self.page.click(button, "the week navigation button")
            self.page.wait_for(lambda d: self._days()[0][0] != first, "the next week to show")
        raise PageChanged(self.label, f"the week of {day:%d %b}")

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self._back_to_calendar()
        self._settle_zone()
        assert self.zone is not None
        zone = ZoneInfo(self.zone)
        first_day, last_day = window.start.astimezone(zone).date(), window.end.astimezone(zone).date()
        while True:
            days = self._days()
            for day, enabled, _ in days:
                if enabled and first_day <= day <= last_day:
                    for text in self._select_day(day):
                        start = localize(day, parse_clock(text), self.zone)
                        yield OfferedSlot(start, start + self.duration, text, ref=(day, text))
            following = self.page.find_all(NEXT_WEEK)
            if days[-1][0] >= last_day or not following or not following[0].is_enabled():
                return
            first = days[0][0]
            self.page.click(NEXT_WEEK, "the next-week button")
            self.page.wait_for(lambda d: self._days()[0][0] != first, "the next week to show")

    def _back_to_calendar(self) -> None:
        if not self.page.exists(DAY) and self.page.exists(BACK):
            self.page.click(BACK, "the Back button")
        self.page.find(DAY, "the week calendar")

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, text = slot.ref
        self._back_to_calendar()
        self._week_of(day)
        enabled = {d: e for d, e, _ in self._days()}
        if not enabled.get(day) or text not in self._select_day(day):
            raise SlotTaken(f"{text} on {day:%a %d %b} is no longer offered on Chili Piper")
        button = self.page.driver.execute_script(_SLOT_BUTTON_JS, TIME_SLOT, text)
        if button is None:
            raise SlotTaken(f"{text} on {day:%a %d %b} is no longer offered on Chili Piper")
        self.page.click(button, f"the time {text}")
        self.page.find(CONFIRM, "the confirm step")

    # -- submit -----------------------------------------------------------------------------------
    def submit(self) -> SubmitResult:
        self.page.click(CONFIRM, "the Confirm button")

        def outcome(driver: WebDriver) -> str | bool:
            if driver.find_elements(*BOOKED):
                return "booked"
            alerts = [a.text.strip() for a in driver.find_elements(*ALERT) if a.is_displayed() and a.text.strip()]
            return f"error:{alerts[0]}" if alerts else False

        result = self.page.wait_for(outcome, "the booking-confirmed screen")
        if result.startswith("error:"):
            text = result.removeprefix("error:")
            if "no longer available" in text.lower():
                raise SlotTaken(f"Chili Piper said: {text}")
            raise PageChanged(self.label, f"a confirmation (the page said {text!r})")
        text = self.page.text_of(BOOKED, "the booking-confirmed screen")
        host = _WITH.search(text)
        return SubmitResult(
            confirmed=True, host_name=host.group("host").strip() if host else None,
            summary=f"Booked with {host.group('host').strip()}." if host else "Booked.",
            status_url=self.page.current_url,
        )
