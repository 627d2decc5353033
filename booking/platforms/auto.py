"""``auto``: book a booking page Booker has no module and no recipe for, by reading it like a person.

Used when no module matches the URL and the startup has no recipe (the registry's fallback). It knows
no page: it finds a person choice (a select, a radio group, cards or links naming people), a date
control (a grid of day buttons, a date field, a list of dates), the times named by a clock time, the
buttons that move a wizard on ("Next", "Continue") and send it ("Book", "Confirm", "Schedule",
"Request"), the form, and the answer — by role, accessible name, label and text only
(:mod:`booking.platforms.auto_reading`), never by a page's own CSS. A booking widget inside an
``<iframe>`` is stepped into when the top page shows no controls of its own. Every slot still goes
through the agent's free/busy match; a failure says what was missing. The answer after the button that
sends the booking is read once it holds (:mod:`booking.platforms.auto_answers`). What it did is recorded as a
recipe (:mod:`booking.platforms.auto_recipe`, ``try --save-recipe``), and ``dry_run`` stops it before
the button that sends the booking.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from booking.browser.page import Page
from booking.browser.semantic import Found, Way, describe, matching, role
from booking.domain.errors import BookingError, NoCommonTime, PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot, localize
from booking.platforms.auto_answers import TAKEN_WORDS, AnswerReader, still_there
from booking.platforms.auto_dates import DateControl, Times, choose_option, find_date_control
from booking.platforms.auto_reading import (
    ANYONE, FORM_SIGNS, OPTION, PERSON_LABEL, PERSON_WORDS, POLICY_BOXES, SEND_BUTTONS, STEP_BUTTONS, ZONE_SAYING,
    duration_in, is_placeholder, option_for, order_people, person_name, zone_words,
)
from booking.platforms.auto_recipe import PLACES, RecipeRecorder, role_of
from booking.platforms.base import Invitee, Person, Platform, PlatformOptions, SubmitResult
from booking.platforms.custom.pinned import control_name
from booking.platforms.custom.steps import DryRunStop
from booking.platforms.parts.codes import answer_code_prompt, code_field, mail_before
from booking.platforms.parts.consent import accept_consent
from booking.platforms.parts.form import read_fields
from booking.platforms.parts.times import TIME_CONTROLS, clock_of
from booking.platforms.parts.zone import ZONE_CONTROLS, zone_from_words
from booking.platforms.zones import browser_zone

MAX_STEPS = 4
MIN_FRAME_AREA = 40_000  # px²: smaller iframes are badges and trackers, not a booking widget
# Signs that a document is a booking page itself (not a company page wrapping a widget's frame);
# a day grid counts only when it has days (a page's own tables don't), see ``_controls_shown``.
CONTROLS: tuple[Way, ...] = (role("combobox"), role("listbox"), role("radiogroup"), *TIME_CONTROLS, *STEP_BUTTONS)
PERSON_CHOICES: tuple[Way, ...] = (role("radio"), role("button"), role("link"), role("tab"), role("option"))
PERSON_HEADING = role("heading", matching(PERSON_WORDS))
SECTION_LEVELS = 3  # how far up from such a heading its cards may sit (heading → header → section)
# A wizard's or a page's own buttons near the people, never a person ("Book with Anna" is one).
NOT_A_PERSON = re.compile(r"(next|continue|back|previous|submit|book|confirm|schedule|request|cancel|close|"
                          r"accept( all)?|reject( all)?)( now)?|", re.I)
ZONE_SELECT = r"zone|(times?|hours) (are )?(shown|displayed) in"  # a drop-down choosing the zone times are shown in


class UnreadablePage(BookingError):
    """The page lacks a part every booking page has; the sentence names which."""


class AutoPage(Platform):
    name = "auto"
    label = "web booking"
    url_patterns = ()
    confirms_on_submit = True

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.zone = "UTC"
        self.duration = timedelta(minutes=30)
        self.times = Times(page)
        self.control: DateControl | None = None
        self._offered: list[str] = []
        self._chosen: str | None = None  # the person chosen on the page, as the agent named them
        self._frame: WebElement | None = None  # the widget's iframe Booker stepped into, if any
        self.recording = RecipeRecorder()  # what it did, as a recipe (``try --save-recipe``)
        self.dry_run = False  # ``try --dry-run``: stop before the button that sends the booking
        self.answers = AnswerReader(page)  # the page's answer after the button that sends the booking

    # -- open ------------------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Load the page, accept a consent banner, step into a booking widget's iframe when the top page
        has no controls of its own, and read the zone and the meeting's length."""
        self.page.goto(url)
        self.control = None
        self._chosen = None
        self._frame = None
        self.recording.opened()
        self.page.wait_for(lambda d: self._controls_shown() or self._largest_frame() is not None or
                           bool(self._person_cards()), "a booking control (a day grid, a date field, a list of "
                           "times or people, a Next button) or a booking widget's frame")
        self.dismiss_consent()
        if not self._controls_shown():
            frame = self._largest_frame()
            if frame is not None:
                self.recording.frame(frame.get_attribute("title"))  # read before stepping in: it is the top page's
                self.page.enter_frame(frame, "the booking widget's frame")
                self._frame = frame
                self.page.wait_for(lambda d: self._controls_shown() or bool(self._person_cards()),
                                   "a booking control inside the widget's frame")
                self.dismiss_consent()
        self.duration = timedelta(minutes=duration_in(self.page.visible_text()))
        self.zone = self._read_zone()

    def dismiss_consent(self) -> None:
        """Accept a consent banner if one shows now (recorded: the recipe accepts it too, if shown)."""
        if accept_consent(self.page):
            self.recording.consent()

    def _top_consent(self) -> None:
        """Accept a consent banner the startup's own page showed after Booker stepped into the widget's
        frame (it would take the clicks meant for the widget); one script, no wait, when there is none."""
        if self._frame is None:
            return
        try:
            self.page.driver.switch_to.parent_frame()
            self.dismiss_consent()
            self.page.driver.switch_to.frame(self._frame)
        except WebDriverException:
            raise PageChanged(self.label, "the booking widget's frame") from None

    def _controls_shown(self) -> bool:
        return self.page.shows(*CONTROLS) or self.page.shows(*FORM_SIGNS) or \
            self._date_control_now() is not None or bool(self.context.people and self._person_choices())

    def _largest_frame(self) -> WebElement | None:
        best, area = None, MIN_FRAME_AREA
        for frame in self.page.driver.find_elements(By.TAG_NAME, "iframe"):
            try:
                size = frame.size
                if frame.is_displayed() and size["width"] * size["height"] >= area:
                    best, area = frame, size["width"] * size["height"]
            except WebDriverException:
                continue
        return best

    def _read_zone(self) -> str:
        """The zone the page names (a label, a button, a zone select, a sentence), else the browser's own."""
        return self._named_zone() or browser_zone(self.page)

    def _named_zone(self) -> str | None:
        """The zone the page names now, if it names one (a wizard may state it only on its time step)."""
        preferred = [z for z in (self.options.timezone, self.page.timezone) if z]
        preferred = preferred or [browser_zone(self.page)]
        now = self.context.clock()
        seen = self.page.seen_all(*ZONE_CONTROLS, role("combobox", matching(ZONE_SELECT)), *ZONE_SAYING, every=True)
        for found in sorted(seen, key=lambda f: f.tag != "select"):  # a picker's choice before any sentence
            words = [found.name, found.text, zone_words(found.text or "")]
            inner = [] if found.tag == "select" else found.element.find_elements(By.TAG_NAME, "select")
            if found.tag == "select" or inner:  # a sentence around a picker holds all its options: read its choice
                chosen = found.element if found.tag == "select" else inner[0]
                words = [self._selected_text(chosen), chosen.get_attribute("value") or ""]
            for said in words:
                zone = zone_from_words(self.page, said, preferred, now)
                if zone:
                    return zone
        return None

    @staticmethod
    def _selected_text(element: WebElement) -> str:
        try:
            return Select(element).first_selected_option.text
        except WebDriverException:
            return ""

    # -- people ----------------------------------------------------------------------------------------
    def _person_choices(self) -> list[Found]:
        """The page's choices of a person, in page order: a select's options, radios, cards or links."""
        configured = [p.casefold() for p in self.context.people]
        for select in self.page.seen_all(role("combobox"), role("listbox"), every=True):
            options = [o for o in self.page.seen_all(OPTION, within=select.element, every=True)
                       if not o.disabled and not is_placeholder(o.text or o.name, o.value if o.tag == "option" else None)]
            words = [(o.text or o.name).casefold() for o in options]
            if not options or any(clock_of(w) for w in words):
                continue  # empty, or a list of times
            names_people = any(c in w for c in configured for w in words) or any(ANYONE.match(w) for w in words)
            if PERSON_LABEL.search(select.name) or names_people:
                return options
        groups = self.page.seen_all(role("radiogroup", matching(PERSON_WORDS)), role("group", matching(PERSON_WORDS)))
        if groups:
            return [f for f in self.page.seen_all(*PERSON_CHOICES, within=groups[0].element, every=True) if not f.disabled]
        if configured:
            named = [f for f in self.page.seen_all(*PERSON_CHOICES, every=True)
                     if not f.disabled and any(c in (f.name or f.text).casefold() for c in configured)]
            if named:
                return named
        return self._person_cards()

    def _person_cards(self) -> list[Found]:
        """The cards or links under a heading asking which person ("Who would you like to meet?"), for a
        page whose people Booker wasn't told: what a person would choose among there, in page order."""
        for heading in self.page.seen_all(PERSON_HEADING, every=True):
            section = heading.element
            for _ in range(SECTION_LEVELS):
                try:
                    section = section.find_element(By.XPATH, "..")
                except WebDriverException:
                    break
                cards = [f for f in self.page.seen_all(*PERSON_CHOICES, within=section, every=True)
                         if not f.disabled and not NOT_A_PERSON.fullmatch((f.name or f.text).strip())]
                if cards:
                    return cards
        return []

    def people(self) -> list[str]:
        self._offered = [person_name(f.text or f.name) for f in self._person_choices()]
        return order_people(self._offered, self.context.people)

    def choose_person(self, person: Person) -> bool:
        choices = self._person_choices()
        words = [(f.text or f.name).strip() for f in choices]
        wanted = option_for(person.name, words)
        if wanted is None:
            return False
        target = choices[words.index(wanted)]
        self._chosen = person.name
        self._top_consent()
        self.recording.person(self.page, target)
        if not (target.selected or target.checked):
            choose_option(self.page, target, f"{person.name}") if target.tag == "option" else \
                self.page.click(target.element, f"the choice {person.name}")
        self._step_until(lambda: self._date_control_now() is not None, "a date control")
        return True

    # -- days and times ---------------------------------------------------------------------------------
    def _today(self) -> date:
        return self.context.clock().astimezone(ZoneInfo(self.zone)).date()

    def _date_control_now(self) -> DateControl | None:
        return find_date_control(self.page, self._today())

    def _date_control(self) -> DateControl:
        if self.control is None:
            try:
                self._step_until(lambda: self._date_control_now() is not None, "a date control")
                self.control = self.page.wait_for(lambda d: self._date_control_now() or False, "a date control")
                self.zone = self._named_zone() or self.zone  # the step with the days may be where it is named
            except PageChanged:
                raise UnreadablePage("Booker found no date control on the booking page "
                                     "(no day grid, no date field, no list of dates)") from None
        return self.control

    def _times_of(self, day: date) -> list[tuple[str, time]]:
        control = self._date_control()
        before = self.times.ids()
        self._top_consent()
        control.select(day)
        return [(c.label, c.clock) for c in self.times.for_day(day, before)]

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        control = self._date_control()
        zone = ZoneInfo(self.zone)
        first = window.start.astimezone(zone).date()
        last = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
        offered = 0
        for day in control.days(first, last):
            for label_text, wall in self._times_of(day):
                offered += 1
                yield OfferedSlot.lasting(localize(day, wall, self.zone), self.duration, label_text, ref=(day, label_text))
        if not offered and not self._people_left():
            raise NoCommonTime(f"No time slots found on the booking page: saw {control.describe_empty()} "
                               f"up to {last:%a} {last.day} {last:%b}")

    def _people_left(self) -> bool:
        """Whether the agent will still try another configured person the page offers after this one
        (then an empty calendar is that person's, not the page's, and the agent says so at the end)."""
        order = order_people(self._offered, self.context.people)
        return self._chosen in order and order.index(self._chosen) < len(order) - 1 and bool(self.context.people)

    def choose_slot(self, slot: OfferedSlot) -> None:
        day, label_text = slot.ref
        offered = self._times_of(day)
        if not any(text_ == label_text for text_, _ in offered):
            raise SlotTaken(f"{label_text} on {day:%A, %B} {day.day} is no longer offered")
        target = self.times.pick(label_text)
        if target is None:
            raise SlotTaken(f"{label_text} on {day:%A, %B} {day.day} is no longer offered")
        self.recording.calendar(control_name(self._date_control()), self.zone, self.duration)
        if not (target.selected or target.checked):
            if target.tag == "option":
                choose_option(self.page, target, f"the time {label_text}")
            else:
                self.page.click(target.element, f"the time {label_text}")
        self._step_until(lambda: self.page.shows(*FORM_SIGNS), "the booking form (an e-mail field)")

    # -- moving through a wizard ------------------------------------------------------------------------
    def _step_until(self, arrived: Callable[[], bool], what: str) -> None:
        """Press "Next"/"Continue" until ``arrived`` holds (a wizard's steps), at most a few times."""
        for _ in range(MAX_STEPS):
            state = self.page.wait_for(lambda d: "there" if arrived() else self._enabled_step() or False,
                                       f"{what} or a button named like 'Next' or 'Continue'")
            if state == "there":
                return
            self.recording.click(STEP_BUTTONS[state.way].role, state.name)
            self.page.click(state.element, "the Next/Continue button")
            self.page.wait_for(lambda d: arrived() or not still_there(state.element), f"{what} after Next")
        raise PageChanged(self.label, what)

    def _enabled_step(self) -> Found | None:
        found = [f for f in self.page.seen_all(*STEP_BUTTONS) if not f.disabled]
        return found[0] if found else None

    # -- form and submit ---------------------------------------------------------------------------------
    def fill_details(self, invitee: Invitee, message: str) -> None:
        self._step_until(lambda: self.page.shows(*FORM_SIGNS), "the booking form (an e-mail field)")
        before = read_fields(self.page)
        self.fill_form(invitee, message)
        for box in self.page.seen_all(*POLICY_BOXES, every=True):
            if not box.checked and not box.disabled:
                self.page.click(box.element, f"the box '{(box.name or box.text)[:60]}'")
        self.recording.form(before, read_fields(self.page), invitee, message)

    def submit(self) -> SubmitResult:
        before = self.page.current_url
        self._top_consent()
        self.answers.before_send()  # a refusal shown now answers an earlier try
        since = self.context.clock()
        email = self.context.invitee.email if self.context.invitee else ""
        old_mail = mail_before(self.context.mailbox, email, since) if not self.dry_run else frozenset()
        for attempt in range(MAX_STEPS):
            found = self.page.wait_for(lambda d: next((f for f in self.page.seen_all(*SEND_BUTTONS) if not f.disabled),
                                                      False), "a button named like 'Book', 'Confirm', 'Schedule' or "
                                       f"'Request' ({describe(SEND_BUTTONS)})")
            button = found.element
            self.recording.submit(found.name, again=attempt > 0)
            if self.dry_run:
                self.recording.success(None, confirmed=not re.match(r"\W*request", found.name, re.I))
                raise DryRunStop(f"Dry run: stopped before the button {found.name!r}; nothing was sent")
            self.page.click(button, "the button that sends the booking")
            kind, words = self.answers.wait(button, before)
            if kind == "code":  # the page e-mailed a code (a PIN) to finish: type it from the mailbox
                self.recording.code(self.page, code_field(self.page))
                button = answer_code_prompt(self.page, self.context.mailbox, email, since, ignore=old_mail,
                                            within_budget=self.context.within_budget) or button
                kind, words = self.answers.wait(button, before, codes=False)
            if kind != "again":
                break
        if kind == "error":
            if any(w in words.lower() for w in TAKEN_WORDS):
                raise SlotTaken(f"the booking page said: {words[:200]}")
            raise UnreadablePage(f"The booking page refused the booking: {words[:200]}")
        if kind == "again":
            raise PageChanged(self.label, "a confirmation after the last step")
        said = kind in ("confirmed", "requested")
        self.recording.success(words if said else None, confirmed=kind != "requested",
                               place=role_of(self.page, self.answers.said_in, PLACES) if said and self.answers.said_in else None)
        return SubmitResult(confirmed=kind != "requested", summary=words[:300], status_url=self.page.current_url)
