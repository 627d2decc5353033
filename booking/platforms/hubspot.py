"""HubSpot Meetings: CHOOSE TIME (day, duration, time checkboxes), YOUR INFO, "Booking confirmed".

Hooks from research/platforms.md §3, by role and accessible name (HubSpot's raw attributes are not
known): the day table "Select a day in December" with buttons "December 8th", the "Meeting
duration" radio group, time checkboxes "4:00 pm on December 8th", the zone button "Select a
timezone … Currently displaying UTC +02:00 Eastern European Time", the info form's labelled fields
("First name *", "Company name *"…), "Confirm" (disabled until the form is valid), then "Booking
confirmed" / "You're booked with <host>." A host without a connected calendar runs the page in
offline mode: the meeting is only requested, so the booking waits for confirmation.

Slot texts carry no zone, so the module makes the page show the teammate's zone through the zone
picker (and reads the label back to be sure) before it reads any time.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser import Page
from booking.errors import FieldCannotBeFilled, PageChanged, SlotTaken
from booking.platforms.base import Invitee, Platform, PlatformOptions, SubmitResult, Widget
from booking.platforms.zones import browser_zone, zone_for_label
from booking.slots import Interval, OfferedSlot, localize, parse_clock

CSS = By.CSS_SELECTOR
XPATH = By.XPATH

DAY_TABLE = (CSS, 'table[aria-label^="Select a day in "]')
ZONE_BUTTON = (CSS, 'button[aria-label^="Select a timezone to display available times in."]')
ZONE_OPTIONS = (CSS, '[role="listbox"] [role="option"]')
TIMES_REGION = (CSS, '[role="region"][aria-label="What time works best?"]')
DURATION_RADIOS = '[role="radiogroup"][aria-label="Meeting duration"] input[type="radio"]'
INFO_HEADING = (XPATH, '//h2[normalize-space(.)="Your information"]')
CONFIRM = (XPATH, '//button[normalize-space(.)="Confirm"]')
BACK = (XPATH, '//button[normalize-space(.)="Back"]')
ALERT = (CSS, '[role="alert"]')
CONFIRMED = "Booking confirmed"
REQUESTED = "Meeting requested"  # [U] offline mode's screen (see the replica)

_DAY_LABEL = re.compile(r"^(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2})(st|nd|rd|th)$")
_ZONE_LABEL = re.compile(r"Currently displaying UTC ?(?P<sign>[+-])(?P<h>\d{1,2}):(?P<m>\d{2}) (?P<name>.+?)\.?$")
_BOOKED_WITH = re.compile(r"You're booked with (?P<host>[^.\n]+)\.")
_REQUESTED_TO = re.compile(r"Your request was sent to (?P<host>[^.\n]+)\.")
_MINUTES = re.compile(r"(?P<n>\d{1,3})\s*mins?\b", re.I)

_READ_DAYS_JS = """
return Array.from(document.querySelectorAll('table[aria-label^="Select a day in "] button[aria-label]'))
  .map(b => [b.getAttribute('aria-label'), !b.disabled]);
"""
_READ_SLOTS_JS = """
const region = document.querySelector('[role="region"][aria-label="What time works best?"]');
return region ? Array.from(region.querySelectorAll('[role="checkbox"]')).map(c => c.getAttribute('aria-label')) : null;
"""
_FORM_FIELDS_JS = """
const form = document.evaluate('//button[normalize-space(.)="Confirm"]', document, null, 9, null).singleNodeValue.closest('form');
return Array.from(form.querySelectorAll('input[name], textarea[name], select[name]')).filter(f => f.type !== 'hidden').map(f => {
  const label = form.querySelector('label[for="' + f.id + '"]');
  const text = label ? label.textContent.trim() : f.name;
  return [f.name, text.replace(/\\s*\\*$/, ''), f.required || f.getAttribute('aria-required') === 'true' || /\\*$/.test(text),
          f.tagName.toLowerCase()];
});
"""
_INVALID_JS = """
return Array.from(document.querySelectorAll('[aria-invalid="true"]')).map(f => {
  const label = document.querySelector('label[for="' + f.id + '"]');
  return label ? label.textContent.replace(/\\s*\\*$/, '').trim() : f.name;
});
"""


def ordinal(n: int) -> str:
    """HubSpot's day names: "December 1st", "December 22nd", "December 11th"."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day_name(day: date) -> str:
    return f"{day:%B} {ordinal(day.day)}"


class HubSpot(Platform):
    name = "hubspot"
    label = "HubSpot Meetings"
    url_patterns = (r"meetings(-[a-z]{2,3}\d{1,2})?\.hubspot\.com/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?/?",)
    confirms_on_submit = True  # offline mode answers SubmitResult(confirmed=False)
    ready_hooks = ((DAY_TABLE, "calendar"), (INFO_HEADING, "info"))
    # MeetingsEmbedCode.js puts an iframe into the container; its data-src is the page (?embed=true)
    embed_widgets = (Widget((CSS, ".meetings-iframe-container"), url_attribute="data-src"),)

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.zone: str | None = None
        self.duration = timedelta(minutes=30)
        self._selected_day: date | None = None  # the day whose times the page shows (saves re-clicking it)

    # -- the page's zone --------------------------------------------------------------------------
    def _zone_label(self) -> tuple[str, int]:
        text = self.page.find(ZONE_BUTTON, "the time-zone button").get_attribute("aria-label") or ""
        match = _ZONE_LABEL.search(text)
        if not match:
            raise PageChanged(self.label, f"a readable time-zone label (saw {text!r})")
        minutes = int(match.group("h")) * 60 + int(match.group("m"))
        return match.group("name"), minutes if match.group("sign") == "+" else -minutes

    def _shows(self, zone: str) -> bool:
        name, offset = self._zone_label()
        return zone_for_label(self.page, name, [zone], offset) == zone

    def _settle_zone(self) -> None:
        """Make the page show the teammate's zone (its picker), or at least know which zone it shows."""
        wanted = self.options.timezone or browser_zone(self.page)
        if not self._shows(wanted):
            self._pick_zone(wanted)
        if self._shows(wanted):
            self.zone = wanted
            return
        name, offset = self._zone_label()
        self.zone = zone_for_label(self.page, name, [wanted, browser_zone(self.page), "UTC"], offset)
        if self.zone is None:
            raise PageChanged(self.label, f"a time zone Booker knows (the page shows {name!r})")

    def _pick_zone(self, zone: str) -> None:
        city = zone.split("/")[-1].replace("_", " ")
        before = self._zone_label()
        self.page.click(ZONE_BUTTON, "the time-zone button")
        options = self.page.wait_for(lambda d: d.find_elements(*ZONE_OPTIONS), "the list of time zones")
        for option in options:
            if (option.text or "").strip().endswith(f"({city})"):
                self.page.click(option, f"the time zone {zone}")
                self.page.wait_for(lambda d: self.page.exists(ZONE_BUTTON) and self._zone_label() != before,
                                   "the times in the new zone")
                return
        self.page.click(ZONE_BUTTON, "the time-zone button")  # close the list; the label will be read instead

    # -- slots ------------------------------------------------------------------------------------
    def _month(self) -> date:
        def heading(driver: WebDriver) -> date | bool:
            for element in driver.find_elements(By.TAG_NAME, "h2"):
                try:
                    return datetime.strptime(" ".join((element.text or "").split()), "%B %Y").date()
                except ValueError:
                    continue
            return False

        return self.page.wait_for(heading, "the month heading")

    def _open_days(self, month: date) -> list[date]:
        self.page.find(DAY_TABLE, "the day table")
        days = []
        for label, enabled in self.page.driver.execute_script(_READ_DAYS_JS):
            match = _DAY_LABEL.match(label or "")
            if match and enabled and match.group("month") == f"{month:%B}":
                days.append(month.replace(day=int(match.group("day"))))
        return days

    def _go_to_month(self, target: date) -> None:
        for _ in range(24):
            current = self._month()
            if (current.year, current.month) == (target.year, target.month):
                self.page.find((CSS, f'table[aria-label="Select a day in {target:%B}"] button'), "the day table")
                return
            step = _add_months(current, 1 if current < target else -1)
            self.page.click((CSS, f'button[aria-label="View {step:%B}"]'), f"the View {step:%B} button")
            self.page.wait_for(lambda d: self._month() != current, "the next month to show")
        raise PageChanged(self.label, f"the month {target:%B %Y}")

    def _select_day(self, day: date) -> list[str]:
        """Select ``day``; return its time checkboxes' names ("4:00 pm on December 8th")."""
        showing = f"Showing times for {day:%B} {day.day}, {day.year}"
        shown = lambda d: showing in d.find_element(By.TAG_NAME, "body").text  # noqa: E731
        if day != self._selected_day or not shown(self.page.driver):
            self._go_to_month(day)
            self.page.click((CSS, f'table[aria-label="Select a day in {day:%B}"] button[aria-label="{day_name(day)}"]'),
                            f"the day {day_name(day)}")
            self.page.wait_for(shown, f"the times of {day_name(day)}")
            self._selected_day = day
            self._settle_duration()
        suffix = f" on {day_name(day)}"
        names = self.page.wait_for(lambda d: (d.execute_script(_READ_SLOTS_JS),), "the time checkboxes")[0]
        if names is None:
            raise PageChanged(self.label, "the region 'What time works best?'")
        return [n for n in names if n.endswith(suffix)]

    def _settle_duration(self) -> None:
        radios = self.page.find_all((CSS, DURATION_RADIOS))
        if not radios:
            return
        checked = [r for r in radios if r.is_selected()]
        if not checked:
            self.page.click(radios[0], "the first meeting duration")
            checked = [radios[0]]
        label = self.page.driver.execute_script("return arguments[0].closest('label').textContent", checked[0]) or ""
        match = _MINUTES.search(label)
        if match:
            self.duration = timedelta(minutes=int(match.group("n")))

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self._back_to_times()
        first_open = self._first_open_day(window)
        if first_open is None:
            return
        self._select_day(first_open)  # the zone button only shows next to a day's times
        self._settle_zone()
        assert self.zone is not None
        zone = ZoneInfo(self.zone)
        first_day, last_day = window.start.astimezone(zone).date(), window.end.astimezone(zone).date()
        month = first_day.replace(day=1)
        while month <= last_day:
            self._go_to_month(month)
            for day in self._open_days(month):
                if not first_day <= day <= last_day:
                    continue
                for name in self._select_day(day):
                    text = name.split(" on ")[0]
                    start = localize(day, parse_clock(text), self.zone)
                    yield OfferedSlot(start, start + self.duration, text, ref=(day, name))
            if not self._can_go_on(month):
                return
            month = _add_months(month, 1)

    def _can_go_on(self, month: date) -> bool:
        following = _add_months(month, 1)
        buttons = self.page.find_all((CSS, f'button[aria-label="View {following:%B}"]'))
        return bool(buttons) and buttons[0].is_enabled()

    def _first_open_day(self, window: Interval) -> date | None:
        """The first selectable day from the window's month on (any zone: it only reveals the zone)."""
        month = self._month()
        target = window.start.date().replace(day=1)
        if month < target:
            self._go_to_month(target)
            month = target
        for _ in range(3):
            days = self._open_days(month)
            if days:
                return days[0]
            if not self._can_go_on(month):
                return None
            month = _add_months(month, 1)
            self._go_to_month(month)
        return None

    def _back_to_times(self) -> None:
        if not self.page.exists(DAY_TABLE) and self.page.exists(BACK):
            self.page.click(BACK, "the Back button")
        self.page.find(DAY_TABLE, "the day table")

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, name = slot.ref
        self._back_to_times()
        if name not in self._select_day(day):
            raise SlotTaken(f"{name} is no longer offered on HubSpot")
        self.page.click((CSS, f'[role="region"][aria-label="What time works best?"] [role="checkbox"][aria-label="{name}"]'),
                        f"the time {name}")
        self.page.find(INFO_HEADING, "the 'Your information' form")

    # -- form and submit --------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        self.page.find(CONFIRM, "the Confirm button")
        message_placed = False
        for name, label, required, tag in self.page.driver.execute_script(_FORM_FIELDS_JS):
            locator = (CSS, f'form [name="{name}"]')
            if tag == "textarea" and not message_placed:
                self.page.fill(locator, message, f"the field {label!r}")
                message_placed = True
                continue
            answer = invitee.answer_for(label)
            if answer is None and name == "lastName":
                answer = invitee.first_name  # HubSpot insists on a last name; a one-word name fills both
            if answer:
                self.page.fill(locator, answer, f"the field {label!r}")
            elif required:
                raise FieldCannotBeFilled(f"The HubSpot form requires {label!r}, which Booker can't answer")
        if not message_placed:
            raise FieldCannotBeFilled("The HubSpot form has no field for the intro message")

        def confirm_enabled(driver: WebDriver) -> bool:
            return driver.find_element(*CONFIRM).is_enabled()

        try:
            self.page.wait_for(confirm_enabled, "the Confirm button to become enabled", timeout=min(self.page.timeout, 5))
        except PageChanged:
            invalid = ", ".join(repr(x) for x in self.page.driver.execute_script(_INVALID_JS)) or "a field"
            raise FieldCannotBeFilled(f"HubSpot keeps Confirm disabled: it doesn't accept {invalid}") from None

    def submit(self) -> SubmitResult:
        self.page.click(CONFIRM, "the Confirm button")

        def outcome(driver: WebDriver) -> str | bool:
            for heading in driver.find_elements(By.TAG_NAME, "h2"):
                if heading.text.strip() in (CONFIRMED, REQUESTED):
                    return heading.text.strip()
            alerts = [a.text.strip() for a in driver.find_elements(*ALERT) if a.is_displayed() and a.text.strip()]
            return f"error:{alerts[0]}" if alerts else False

        result = self.page.wait_for(outcome, "the 'Booking confirmed' screen")
        if result.startswith("error:"):
            text = result.removeprefix("error:")
            if "no longer available" in text.lower():
                raise SlotTaken(f"HubSpot said: {text}")
            raise PageChanged(self.label, f"a confirmation (the page said {text!r})")
        body = self.page.text_of((By.TAG_NAME, "body"), "the confirmation screen")
        if result == CONFIRMED:
            host = _BOOKED_WITH.search(body)
            return SubmitResult(confirmed=True, host_name=host.group("host").strip() if host else None,
                                summary=host.group(0) if host else CONFIRMED, status_url=self.page.current_url)
        host = _REQUESTED_TO.search(body)
        who = host.group("host").strip() if host else None
        return SubmitResult(confirmed=False, host_name=who, status_url=self.page.current_url,
                            summary=f"Meeting requested from {who or 'the host'}, who confirms it by e-mail "
                                    "(their calendar isn't connected to HubSpot).")


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
