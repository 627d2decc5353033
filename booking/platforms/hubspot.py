"""HubSpot Meetings: CHOOSE TIME (day, duration, time checkboxes), YOUR INFO, then the answer.

What each step looks for (research/platforms.md §3; no raw HubSpot attribute is known, §3.2 [U], so
every way is a role, a name, a label or a text; the embed container is §3.1 [S]):

- **Which page**: the info step by the heading "Your information" or the "Confirm" button (§3.2 [V]);
  the calendar by the table named "Select a day in <Month>" (§3.2 [V]).
- **People**: none to choose; round-robin and group pages assign the host (§3.2 [S]).
- **Days**: buttons in that table named with ordinals ("January 8th"), disabled without times; month
  heading "January 2025"; arrows named by the month they show, "View December" / "View February"
  (§3.2 [V]).
- **Duration**: the "Meeting duration" radio group ("30 mins", §3.2 [V]); the checked one, else the first.
- **Times**: checkboxes named "4:00 pm on January 8th" in the region "What time works best?" (§3.2,
  §3.5 [V]), once the list shows the picked day ("Showing times for January 8, 2025" [V]).
- **Zone**: slot texts carry none (§3.5 [V]), so the zone button "Select a timezone to display available
  times in. Currently displaying UTC +02:00 Eastern European Time" (§3.5 [V]) is opened and the
  teammate's zone picked from its list by city, IANA name or long name; its name is read back to
  know the zone the times are in (the page's zone when the list offers none that fits).
- **Form**: fields by label ("First name *", "Your email address *", "Company name *", §3.2 [V]); the
  message in the free-text question. **Submit**: "Confirm", disabled until the form is valid (§3.2
  [V]); "Back" or "Click to change the meeting date or time" to return to the times (§3.2 [V]).
- **Answer**: "Booking confirmed" / "You're booked with <Host>." (§3.2 [S]). Offline mode (§3.3 [V]:
  the host's calendar isn't connected) only requests the meeting; its screen's words are [U], so a
  heading or text about a request means the booking waits for confirmation.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser.page import Page
from booking.browser.semantic import Found, containing, matching, role, run_script, starts, text
from booking.domain.errors import FieldCannotBeFilled, PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot
from booking.platforms.base import Invitee, Platform, PlatformOptions, SubmitResult
from booking.platforms.parts.calendar import MONTH_TITLE, DayPicker, DayPickerSpec
from booking.platforms.parts.form import read_fields
from booking.platforms.parts.loading import is_busy
from booking.platforms.parts.outcome import await_outcome
from booking.platforms.parts.times import TimeList, TimeListSpec, offered_slots
from booking.platforms.parts.zone import ZONE_CONTROLS, shown_zone, zone_from_words
from booking.platforms.widgets import Widget
from booking.platforms.zones import browser_zone

MONTH_NAME = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
INFO_STEP = (role("heading", "Your information"), role("button", "Confirm"))
CALENDAR_STEP = (role("table", starts("Select a day in")), role("grid", starts("Select a day")))
PICKER = DayPickerSpec(
    container=(*CALENDAR_STEP, role("table"), role("grid")),
    month_title=(role("heading", MONTH_TITLE), text(MONTH_TITLE)),
    next=(role("button", matching(rf"^view {MONTH_NAME}$")),
          role("button", matching(r"^(go to |view |show )?next( month)?$"))),
    previous=(role("button", matching(rf"^view {MONTH_NAME}$")),
              role("button", matching(r"^(go to |view |show )?previous( month)?$"))),
)
TIMES = TimeListSpec(container=(role("region", "What time works best?"),))
DURATIONS = (role("radiogroup", "Meeting duration"), role("radiogroup", containing("duration")))
ZONE_BUTTON = (role("button", starts("Select a timezone")), role("combobox", starts("Select a timezone")),
               *ZONE_CONTROLS)
# The list the zone button opens (a dialog, listbox or menu) and its entries (options, menu items or buttons).
ZONE_POPUP = (role("dialog", matching(r"time ?zone")), role("listbox", matching(r"time ?zone")),
              role("menu", matching(r"time ?zone")), role("listbox"), role("menu"))
ZONE_ENTRIES = (role("option"), role("menuitemradio"), role("menuitem"), role("radio"), role("button"), role("link"))
ZONE_CHOICES = (role("option"), role("menuitemradio"), role("menuitem"))  # when no popup is named
ZONE_SEARCH = (role("searchbox"), role("combobox", matching(r"search|time ?zone")),
               role("textbox", matching(r"search|time ?zone")))
CONFIRM = (role("button", "Confirm"),)
BACK = (role("button", "Click to change the meeting date or time"), role("button", "Back"),
        role("button", matching(r"^(edit|change)\b")))
CONFIRMED = (role("heading", "Booking confirmed"), text(starts("You're booked with")))
REQUESTED = (role("heading", matching(r"\brequest(ed)?\b|pending|awaiting")),
             text(matching(r"\brequest(ed)? (was |has been )?sent\b|will (confirm|get back)|not (yet )?confirmed")))

_BOOKED_WITH = re.compile(r"You['’]re booked with (?P<host>[^.\n]+?)\.", re.I)
# Who got the request, in the offline screen's sentences ("Your request was sent to Olli Salo.",
# "Olli Salo will get your request and confirm the time with you by email."): its words are [U].
REQUEST_SENTENCES = (text(matching(r"\brequest\b.*\b(sent to|with|from)\b")), text(matching(r"\bwill\b.*\bconfirm")))
_REQUESTED_FROM = (re.compile(r"request(?:ed)? (?:was |has been )?sent to (?P<host>[^.]+?)\.?$", re.I),
                   re.compile(r"request(?:ed)? (?:a meeting )?(?:with|from) (?P<host>[^.]+?)\.?$", re.I),
                   re.compile(r"^(?P<host>[^.]+?) will\b.*\bconfirm", re.I))
_DISPLAYING = re.compile(r"currently displaying\s*(?P<zone>.+)$", re.I)
_MINUTES = re.compile(r"(?P<n>\d{1,3})\s*min", re.I)

# A field the page won't accept: aria-invalid, or invalid by the browser's own rules (type=url…).
_INVALID_JS = """
const fields = Array.from(document.querySelectorAll('input, textarea, select'))
  .filter((f) => f.getClientRects().length > 0 && f.type !== 'hidden');
return fields.filter((f) => f.getAttribute('aria-invalid') === 'true' || (f.willValidate && !f.checkValidity()));
"""
# The long names a zone goes by (winter and summer), as pages print them.
_LONG_NAMES_JS = """
const [zone] = arguments;
const year = new Date().getUTCFullYear();
return [0, 6].map((m) => {
  const part = new Intl.DateTimeFormat('en-US', {timeZone: zone, timeZoneName: 'long'})
    .formatToParts(new Date(Date.UTC(year, m, 15, 12))).find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
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
    steps = (("info", INFO_STEP), ("calendar", CALENDAR_STEP))
    # MeetingsEmbedCode.js puts an iframe into the container; its data-src is the page (?embed=true), §3.1 [S]
    embed_widgets = (Widget((By.CSS_SELECTOR, ".meetings-iframe-container"), url_attribute="data-src"),)

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.zone: str | None = None
        self.duration = timedelta(minutes=30)
        self.times = TimeList(page, TIMES)

    # -- the page's zone --------------------------------------------------------------------------
    def _wanted_zone(self) -> str:
        return self.options.timezone or self.page.timezone or browser_zone(self.page)

    def _read_zone(self) -> str | None:
        """The zone the zone button names now; None when the page shows no zone control."""
        if not self.page.shows(*ZONE_BUTTON):
            return None
        preferred = list(dict.fromkeys([self._wanted_zone(), browser_zone(self.page)]))
        for found in self.page.seen_all(*ZONE_BUTTON):
            # the button's name says "Select a timezone to display … Currently displaying UTC +02:00 …" (§3.5 [V])
            said = _DISPLAYING.search(found.name)
            for words in ([said.group("zone")] if said else []) + [found.text, found.name]:
                zone = zone_from_words(self.page, words, preferred) if words else None
                if zone:
                    return zone
        return shown_zone(self.page, preferred, ZONE_BUTTON)

    def _settle_zone(self) -> None:
        """Make the page show the teammate's zone (its picker), or at least know which zone it shows."""
        wanted = self._wanted_zone()
        shown = self._read_zone()
        if shown is not None and shown != wanted:
            self._pick_zone(wanted)
            shown = self._read_zone()
        self.zone = shown or browser_zone(self.page)  # a page that names no zone shows the browser's

    def _zone_choice(self, zone: str) -> Found | None:
        """The list's entry for ``zone``: by its city, its IANA name, else its long name."""
        popup = self.page.seen_all(*ZONE_POPUP, details=False)
        found = self.page.seen_all(*ZONE_ENTRIES, within=popup[0].element, every=True) if popup \
            else self.page.seen_all(*ZONE_CHOICES)
        choices = [c for c in found if not c.disabled]
        city = zone.split("/")[-1].replace("_", " ").casefold()
        for choice in choices:
            words = f"{choice.name} {choice.text}".casefold()
            if zone.casefold() in words or re.search(rf"\b{re.escape(city)}\b", words):
                return choice
        long_names = {n.casefold() for n in run_script(self.page.driver, _LONG_NAMES_JS, zone) if n}
        short = {re.sub(r"\b(standard|daylight|summer) ", "", n) for n in long_names}
        for choice in choices:
            words = " ".join(f"{choice.name} {choice.text}".casefold().split())
            if any(n in words for n in long_names | short):
                return choice
        return None

    def _open_zone_list(self) -> None:
        """Click the zone button until its list shows: a page that redraws the button as its times
        arrive drops a list opened a moment before."""
        for attempt in range(3):
            self.page.wait_for(lambda d: not is_busy(self.page) and self.page.shows(*ZONE_BUTTON),
                               "the time-zone button")
            self.page.click(ZONE_BUTTON, "the time-zone button")
            try:
                self.page.wait_for(lambda d: self.page.shows(*ZONE_POPUP, *ZONE_CHOICES, *ZONE_SEARCH),
                                   "the list of time zones", timeout=min(self.page.timeout, 3) if attempt < 2 else None)
                return
            except PageChanged:
                if attempt == 2:
                    raise

    def _pick_zone(self, zone: str) -> None:
        before = self.page.seen_all(*ZONE_BUTTON)[0].name
        self._open_zone_list()
        choice = self._zone_choice(zone)
        search = self.page.seen_all(*ZONE_SEARCH)
        if choice is None and search:  # a searchable list: type the city, as a person would
            self.page.fill(search[0].element, zone.split("/")[-1].replace("_", " "), "the time-zone search")
            choice = self.page.wait_for(lambda d: self._zone_choice(zone) or False, f"the time zone {zone} in the list",
                                        timeout=min(self.page.timeout, 5))
        if choice is None:  # not offered: close the list; the shown zone is read instead
            self.page.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
            return
        self.page.click(choice.element, f"the time zone {zone}")
        self.page.wait_for(lambda d: not is_busy(self.page) and self.page.shows(*ZONE_BUTTON)
                           and self.page.seen_all(*ZONE_BUTTON)[0].name != before, "the times in the new zone")

    # -- slots ------------------------------------------------------------------------------------
    def _picker(self, today: date) -> DayPicker:
        return DayPicker(self.page, PICKER, today)

    def _settle_duration(self) -> bool:
        """Read the meeting's length from the checked duration (checking the first when none is);
        True when that changed the list of times."""
        groups = self.page.seen_all(*DURATIONS, details=False)
        if not groups:
            return False
        radios = self.page.seen_all(role("radio"), within=groups[0].element)
        if not radios:
            return False
        checked = next((r for r in radios if r.checked), None)
        clicked = checked is None
        if checked is None:
            checked = radios[0]
            self.page.click(checked.element, f"the meeting duration {checked.name!r}")
        match = _MINUTES.search(checked.name or checked.text)
        if match:
            self.duration = timedelta(minutes=int(match.group("n")))
        return clicked

    def _times_of(self, picker: DayPicker, day: date) -> list[tuple[str, time]]:
        before = self.times.ids()
        picker.select(day)
        choices = self.times.for_day(day, before)
        if self._settle_duration():
            choices = self.times.for_day(day, frozenset(c.found.element.id for c in choices))
        return [(c.label, c.clock) for c in choices]

    def _back_to_calendar(self) -> None:
        if not self.page.shows(*CALENDAR_STEP) and self.page.shows(*BACK):
            self.page.click(BACK, "the button back to the times")
        self.page.seen(*CALENDAR_STEP, what="the day table ('Select a day in …')")

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        self.dismiss_consent()  # a privacy dialog may come up only once the page has its data
        self._back_to_calendar()
        picker = self._picker(window.start.date())
        picker.ready()  # the zone control is redrawn while the month's times load
        if self.zone is None or self._read_zone() not in (None, self.zone):
            if not self.page.shows(*ZONE_BUTTON):  # the zone button shows next to a day's times
                around = (window.start.date() - timedelta(days=1), window.end.date() + timedelta(days=1))
                day = next(iter(picker.bookable_days(*around)), None)
                if day is None:
                    return
                self._times_of(picker, day)
            self._settle_zone()
        assert self.zone is not None
        today = window.start.astimezone(ZoneInfo(self.zone)).date()
        yield from offered_slots(self._picker(today), self._times_of, window, self.zone, self.duration)

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, label_text = slot.ref
        self._back_to_calendar()
        scanned_in = self.zone
        if self._read_zone() not in (None, scanned_in):  # the page went back to its own zone: pick ours again
            self._settle_zone()
            if self.zone != scanned_in:
                raise PageChanged(self.label, f"the times in {scanned_in} (the page shows {self.zone})")
        picker = self._picker(day)
        offered = dict(self._times_of(picker, day))
        target = self.times.pick(label_text, offered[label_text]) if label_text in offered else None
        if target is None:
            raise SlotTaken(f"{label_text} on {day_name(day)} is no longer offered on HubSpot")
        self.page.click(target.element, f"the time {target.name or label_text}")
        self.page.seen(*INFO_STEP, what="the 'Your information' form")

    # -- form and submit --------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        self.page.seen(*INFO_STEP, what="the 'Your information' form")
        self.fill_form(invitee, message)

        def confirm_enabled(driver: WebDriver) -> bool:
            return any(not b.disabled for b in self.page.seen_all(*CONFIRM))

        try:
            self.page.wait_for(confirm_enabled, "the Confirm button to become enabled", timeout=min(self.page.timeout, 5))
        except PageChanged:
            invalid = set(run_script(self.page.driver, _INVALID_JS) or [])
            names = [f.question for f in read_fields(self.page) if f.element in invalid]
            named = ", ".join(repr(n) for n in dict.fromkeys(names)) or "a field"
            raise FieldCannotBeFilled(f"HubSpot keeps Confirm disabled: it doesn't accept {named}") from None

    def submit(self) -> SubmitResult:
        self.page.click(CONFIRM, "the Confirm button")
        outcome = await_outcome(self.page, [("confirmed", CONFIRMED), ("requested", REQUESTED)],
                                "the 'Booking confirmed' screen")
        if outcome.kind == "error":
            if re.search(r"no longer available|not available|already (been )?(taken|booked)", outcome.text, re.I):
                raise SlotTaken(f"HubSpot said: {outcome.text}")
            raise PageChanged(self.label, f"a confirmation (the page said {outcome.text!r})")
        if outcome.key == "confirmed":
            host = _BOOKED_WITH.search(self.page.visible_text())
            return SubmitResult(confirmed=True, host_name=host.group("host").strip() if host else None,
                                summary=host.group(0) if host else "Booking confirmed", status_url=self.page.current_url)
        sentences = [part for f in self.page.seen_all(*REQUEST_SENTENCES, every=True)
                     for part in re.split(r"(?<=[.!])\s+", f.text)]
        found = next((m for line in sentences for pattern in _REQUESTED_FROM for m in [pattern.search(line)] if m), None)
        who = found.group("host").strip() if found else None
        return SubmitResult(confirmed=False, host_name=who, status_url=self.page.current_url,
                            summary=f"Meeting requested from {who or 'the host'}, who confirms it by e-mail "
                                    "(their calendar isn't connected to HubSpot).")
