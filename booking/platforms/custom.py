"""Custom booking pages, driven by a recipe (``booking/recipes.py``).

The recipe's steps are mapped onto the agent's flow, so person order, calendar matching, slot
holds and the intro message work exactly as on the known platforms:

- ``open``: the steps before the person step (or before the calendar),
- ``people``/``choose_person``: the ``select``/``click`` whose text is ``{person}``, then the steps
  up to the calendar,
- ``iter_slots``: the ``pick_date`` calendar (day cells, disabled days skipped, next-month
  navigation) and the ``pick_time`` list, read lazily, day by day,
- ``choose_slot``: the chosen day and time (replaying the steps from ``open`` when the page has
  moved on, e.g. after a "slot taken" answer),
- ``fill_details``: the steps between ``pick_time`` and the first ``submit``,
- ``submit``: the first ``submit`` and everything after it (e-mailed code, success check, id).

Waiting for "the page's pending requests" uses a counter of unfinished ``fetch``/XHR calls that is
injected into every document before the page's own scripts run.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterator, Sequence
from zoneinfo import ZoneInfo

from selenium.common.exceptions import UnexpectedTagNameException, WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from booking.browser.drivers import execute_cdp
from booking.domain.errors import BookingError, FieldCannotBeFilled, PageChanged, SlotTaken
from booking.store.liveness import within_budget
from booking.mail.mailbox import CodeReader, MailMessage, MailQuery
from booking.platforms.base import Invitee, Person, Platform, SubmitResult
from booking.recipes.schema import (
    PERSON_PLACEHOLDER,
    URL_PLACEHOLDER,
    BookingIdStep,
    ClickStep,
    EnterCodeStep,
    FillStep,
    Indicator,
    OpenStep,
    PickDateStep,
    PickTimeStep,
    Recipe,
    SelectStep,
    Step,
    SubmitStep,
    SuccessStep,
    WaitStep,
    format_has_date,
    format_has_month_and_year,
)
from booking.domain.slots import Interval, OfferedSlot, SlotParseError, localize, parse_clock
from booking.domain.urls import check_booking_url

log = logging.getLogger(__name__)

# step listener: (1-based step number, the step, what happened) — the ``try`` command prints and screenshots
StepListener = Callable[[int, Step, str], None]
MAX_MONTHS = 13
OPTIONAL_WAIT = 3.0
SUBMIT_ANSWER_TIMEOUT = 30.0
CODE_MAIL_SLACK = timedelta(minutes=2)  # mail clocks and ours differ a little

NETWORK_COUNTER_JS = """
(function () {
  if (window.__bookerNet) return;
  var net = window.__bookerNet = {pending: 0, last: Date.now()};
  function start() { net.pending++; net.last = Date.now(); }
  function done() { net.pending = Math.max(0, net.pending - 1); net.last = Date.now(); }
  if (window.fetch) {
    var originalFetch = window.fetch;
    window.fetch = function () {
      start();
      try { return originalFetch.apply(this, arguments).finally(done); } catch (e) { done(); throw e; }
    };
  }
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    start();
    this.addEventListener('loadend', done);
    try { return send.apply(this, arguments); } catch (e) { done(); throw e; }
  };
})();
"""
_NETWORK_IDLE_JS = """
const net = window.__bookerNet;
if (!net) return 'missing';
return document.readyState === 'complete' && net.pending === 0 && Date.now() - net.last >= arguments[0];
"""
# Finds one visible element by selector and/or visible text (exact text first, then the innermost containing it).
_FIND_JS = """
const [sel, text, all] = arguments;
const norm = s => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden';
const label = e => norm(e.tagName === 'INPUT' ? (e.value || e.getAttribute('aria-label')) : (e.innerText || e.textContent || e.getAttribute('aria-label')));
const pick = pool => {
  pool = pool.filter(visible);
  if (!text) return pool;
  const want = norm(text);
  const exact = pool.filter(e => label(e) === want);
  if (exact.length) return exact;
  const partial = pool.filter(e => label(e).includes(want));
  return partial.filter(e => !partial.some(o => o !== e && e.contains(o)));
};
let found = pick(Array.from(document.querySelectorAll(sel || 'button, a, [role=button], input[type=submit], input[type=button], label, summary')));
if (!found.length && !sel) found = pick(Array.from(document.querySelectorAll('body *')));
return all ? found : (found[0] || null);
"""
# Every visible cell/slot: [raw value, disabled, its index among all elements matching the selector].
_READ_CELLS_JS = """
const [sel, attr, disabled] = arguments;
const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
return Array.from(document.querySelectorAll(sel)).map((e, i) => [
  attr ? e.getAttribute(attr) : (e.innerText || e.textContent || '').trim(),
  e.matches(disabled) || !!e.querySelector(disabled), i, visible(e)]).filter(c => c[3]);
"""


class DryRunStop(Exception):
    """``try --dry-run`` reached the first submit step; nothing was sent."""


@dataclass
class _Values:
    """What fill templates are rendered from."""

    fields: dict[str, str]

    def render(self, template: str) -> tuple[str, list[str]]:
        """The rendered text and the placeholders that had no value."""
        missing: list[str] = []

        def substitute(match: re.Match[str]) -> str:
            value = self.fields.get(match.group(1), "")
            if not value:
                missing.append(match.group(1))
            return value

        text = template.replace("{{", "\x00").replace("}}", "\x01")
        text = re.sub(r"\{([a-z_]+)\}", substitute, text)
        return text.replace("\x00", "{").replace("\x01", "}"), missing


MISSING_HELP = {
    "phone": "your phone number (add it to your Slack profile, or BOOKER_USER_PHONE for the CLI)",
    "last_name": "your last name (your Slack name has only one word)",
}


class CustomRecipe(Platform):
    name = "custom"
    label = "custom booking"
    url_patterns = ()            # never detected: a startup's recipe chooses it
    confirms_on_submit = True    # the recipe's success step says whether it really confirmed

    def __init__(self, page, options=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(page, options)
        self.recipe: Recipe | None = None
        self.listener: StepListener | None = None
        self.dry_run = False
        self.booking_url = ""
        self.person: str | None = None
        self.selected_day: date | None = None
        self.values = _Values({})
        self.booking_id: str | None = None
        self.submit_started: datetime | None = None
        self._old_code_mails: set[MailMessage] = set()  # code mails already there before the last send
        self._page_zone: str | None = None
        self._counter_installed = False

    def configure(self, context) -> None:  # type: ignore[no-untyped-def]
        super().configure(context)
        if context.recipe is None:
            raise BookingError("This startup's page needs a recipe and none is configured; an admin adds one "
                               "(see README, Recipes) and tests it with `python -m booking try`")
        self.recipe = context.recipe
        if context.invitee is not None:
            self.values = _values_for(context.invitee, "")

    # -- running steps ----------------------------------------------------------------------------
    @property
    def steps(self) -> Sequence[Step]:
        assert self.recipe is not None, "configure() first"
        return self.recipe.steps

    def _run(self, start: int, stop: int) -> None:
        for index in range(start, stop):
            self._run_step(index)

    def _run_step(self, index: int, note: str | None = None) -> None:
        step = self.steps[index]
        handler = getattr(self, f"_do_{step.kind}")
        detail = handler(index, step) or note or step.describe()
        if self.listener:
            self.listener(index + 1, step, detail)

    def _what(self, index: int, text: str) -> str:
        return f"step {index + 1} ({self.steps[index].kind}): {text}"

    def _timeout(self, step: Step) -> float:
        """The step's wait, cut to what is left of the job's time budget (a recipe can't run for hours)."""
        return within_budget(step.timeout or self.page.timeout)

    def _install_counter(self) -> None:
        """Count fetch/XHR calls from the start of every document (CDP), so network_idle can wait."""
        if self._counter_installed:
            return
        self._counter_installed = True
        try:
            execute_cdp(self.page.driver, "Page.addScriptToEvaluateOnNewDocument", {"source": NETWORK_COUNTER_JS})
        except WebDriverException as exc:  # a remote grid without CDP: installed per page instead
            log.info("network counter via CDP unavailable: %s", exc.msg)

    def _find(self, selector: str | None, text: str | None, what: str, timeout: float, *,
              optional: bool = False) -> WebElement | None:
        def found(driver: WebDriver) -> WebElement | None:
            return driver.execute_script(_FIND_JS, selector, text, False)

        try:
            return self.page.wait_for(found, what, min(timeout, OPTIONAL_WAIT) if optional else timeout)
        except PageChanged:
            if optional:
                return None
            raise

    def _do_open(self, index: int, step: OpenStep) -> str:
        self._install_counter()
        url = step.url.replace(URL_PLACEHOLDER, self.booking_url)
        settings = self.context.settings
        check_booking_url(url, settings.allowed_hosts if settings else ())
        self.page.goto(url)
        self.page.wait_for(lambda d: d.execute_script("return document.readyState") == "complete",
                           self._what(index, "the page to load"))
        self.page.driver.execute_script(NETWORK_COUNTER_JS)  # no-op when CDP already injected it
        return f"opened {url}"

    def _do_click(self, index: int, step: ClickStep) -> str:
        text = step.text.replace(PERSON_PLACEHOLDER, self.person or "") if step.text else None
        what = self._what(index, f"{text!r}" if text else step.selector or "")
        element = self._find(step.selector, text, what, self._timeout(step), optional=step.optional)
        if element is None:
            return f"skipped: {step.describe()} (not on the page, optional)"
        self.page.click(element, what)
        return f"clicked {text or step.selector}"

    def _do_submit(self, index: int, step: SubmitStep) -> str:
        if self.dry_run:
            raise DryRunStop(f"Dry run: stopped before step {index + 1} ({step.describe()}); nothing was sent")
        if self.submit_started is None:
            self.submit_started = self.context.clock()
        what = self._what(index, f"{step.text!r}" if step.text else step.selector or "")
        element = self._find(step.selector, step.text, what, self._timeout(step))
        assert element is not None
        self._note_code_mails_before_sending(index)
        self.page.click(element, what)
        return f"submitted with {step.text or step.selector}"

    def _code_query(self, step: EnterCodeStep) -> MailQuery | None:
        mailbox, invitee = self.context.mailbox, self.context.invitee
        if mailbox is None or invitee is None:
            return None
        after = (self.submit_started or self.context.clock()) - CODE_MAIL_SLACK
        return MailQuery(to=invitee.email, after=after, sender=step.mail.sender, subject=step.mail.subject)

    def _note_code_mails_before_sending(self, index: int) -> None:
        """Before a click that may make the page e-mail a code, remember the code mails already there.

        A code from an earlier attempt (the other slot, a retry) is still in the mailbox, within the
        time window; read while the new mail is on its way, it would be typed and refused.
        """
        following = next((s for s in self.steps[index + 1:] if isinstance(s, (EnterCodeStep, SubmitStep))), None)
        if not isinstance(following, EnterCodeStep):
            return
        query = self._code_query(following)
        if query is not None:
            try:
                self._old_code_mails = set(self.context.mailbox.messages(query))
            except BookingError as exc:  # the enter_code step will say so, with the mailbox's reason
                log.info("could not read the mailbox before sending: %s", exc)

    def _select_element(self, index: int, step: SelectStep, optional: bool = False) -> WebElement | None:
        what = self._what(index, f"the drop-down {step.field}")
        element = self._find(step.field, None, what, self._timeout(step), optional=optional)
        if element is None:
            return None
        try:
            Select(element)  # checks that it is a <select>
        except UnexpectedTagNameException:
            raise BookingError(f"Recipe {what} is not a <select>; use a click step for this control") from None
        return element

    def _options(self, select: WebElement) -> list[Option]:
        """Every option of the drop-down, read in one call (Selenium's Select reads each one separately)."""
        return [Option(*row) for row in self.page.driver.execute_script(_OPTIONS_JS, select)]

    def _real_options(self, select: WebElement) -> list[Option]:
        """The options a person could mean: not disabled, not empty, not a prompt ("Please select a
        staff member", "Choose…", "-- Select --"), which pages often give a value or none at all."""
        return [o for o in self._options(select) if o.enabled and o.value.strip() and not _placeholder(o)]

    def _do_select(self, index: int, step: SelectStep) -> str:
        select = self._select_element(index, step, optional=step.optional)
        if select is None:
            return f"skipped: {step.describe()} (not on the page, optional)"
        chosen: Option | None
        if step.first_real:
            chosen = next(iter(self._real_options(select)), None)
            if chosen is None:
                raise PageChanged(self.label, self._what(index, f"an option to choose in {step.field}"))
        elif step.value is not None:
            chosen = next((o for o in self._options(select) if o.value == step.value), None)
            if chosen is None:
                raise PageChanged(self.label, self._what(index, f"the option with value {step.value!r} in {step.field}"))
        else:
            wanted = (step.text or "").replace(PERSON_PLACEHOLDER, self.person or "").strip()
            options = self._real_options(select)
            chosen = _option_by_text(options, wanted)
            if chosen is None:
                offered = ", ".join(o.text for o in options[:10])
                raise BookingError(f"Recipe {self._what(index, f'{step.field} has no option {wanted!r}')} "
                                   f"(it offers: {offered})")
        if not chosen.enabled:
            raise BookingError(f"Recipe {self._what(index, f'{step.field}: the option {chosen.text!r} is disabled')}")
        # What Select.select_by_index does (click the option unless it is selected), in two calls.
        option = self.page.driver.execute_script("return arguments[0].options[arguments[1]]", select, chosen.index)
        if not option.is_selected():
            option.click()
        return f"selected {chosen.text!r} in {step.field}"

    def _do_fill(self, index: int, step: FillStep) -> str:
        value, missing = self.values.render(step.value)
        what = self._what(index, f"the field {step.field}")
        element = self._find(step.field, None, what, self._timeout(step), optional=step.optional)
        if element is None:
            return f"skipped: {step.describe()} (not on the page, optional)"
        if missing and not value.strip():
            if step.optional and not element.get_attribute("required"):
                return f"skipped {step.field}: no value for {{{missing[0]}}}"
            need = MISSING_HELP.get(missing[0], f"your {missing[0].replace('_', ' ')}")
            raise FieldCannotBeFilled(f"The page requires {need} (recipe step {index + 1}), which Booker doesn't have")
        self.page.fill(element, value, what)
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"filled {step.field} with {shown!r}"

    def _do_wait(self, index: int, step: WaitStep) -> str:
        timeout = self._timeout(step)
        if step.selector:
            self.page.find(("css selector", step.selector), self._what(index, step.selector), timeout=timeout)
        elif step.text:
            self.page.wait_text(step.text, self._what(index, repr(step.text)), timeout)
        else:
            self._wait_network_idle(self._what(index, "the page's requests to finish"), timeout, step.quiet_ms)
        return step.describe()

    def _wait_network_idle(self, what: str, timeout: float | None = None, quiet_ms: int = 150) -> None:
        def idle(driver: WebDriver) -> bool:
            state = driver.execute_script(_NETWORK_IDLE_JS, quiet_ms)
            if state == "missing":  # a page loaded without the CDP injection: count from now on
                driver.execute_script(NETWORK_COUNTER_JS)
                return False
            return bool(state)

        # Polled often: the quiet period is measured in the page, so a slow poll only adds waiting.
        self.page.wait_for(idle, what, timeout, poll=0.03)

    def _do_enter_code(self, index: int, step: EnterCodeStep) -> str:
        query = self._code_query(step)
        if query is None:
            raise BookingError("This page e-mails you a code, but Booker has no mailbox to read it from "
                               "(connect Gmail); the booking was not finished")

        def wait(condition: Callable[[], Any], timeout: float, what: str) -> Any:
            return self.page.wait_for(lambda _driver: condition(), self._what(index, what), timeout)

        code = CodeReader(self.context.mailbox, wait).wait_for_code(query, step.pattern, self._timeout(step),
                                                                    ignore=self._old_code_mails)
        self.page.fill(self._locator(step.field), code, self._what(index, f"the code field {step.field}"))
        return f"entered the code from the e-mail ({len(code)} characters)"

    def _indicator_hit(self, indicators: Sequence[Indicator]) -> str | None:
        driver = self.page.driver
        for indicator in indicators:
            if indicator.selector:
                found = driver.execute_script(_FIND_JS, indicator.selector, indicator.text, False)
                if found is not None:
                    return (found.text or indicator.text or indicator.selector).strip()
            elif indicator.text and indicator.text.casefold() in driver.find_element("tag name", "body").text.casefold():
                return indicator.text
        return None

    def _do_success(self, index: int, step: SuccessStep) -> str:
        def outcome(_driver: WebDriver) -> tuple[str, str] | None:
            for kind, indicators in (("taken", step.slot_taken), ("failure", step.failure), ("ok", step.any)):
                hit = self._indicator_hit(indicators)
                if hit:
                    return kind, hit
            return None

        # A sent form may take a while to answer: unless the recipe says otherwise, wait at least 30 s.
        timeout = within_budget(step.timeout or max(self.page.timeout, SUBMIT_ANSWER_TIMEOUT))
        kind, text = self.page.wait_for(outcome, self._what(index, "the page saying the booking worked"), timeout)
        if kind == "taken":
            raise SlotTaken(f"The page said: {text[:200]}")
        if kind == "failure":
            raise BookingError(f"The booking page refused the booking: {text[:200]}")
        return f"the page says: {text[:120]}"

    def _do_booking_id(self, index: int, step: BookingIdStep) -> str:
        raw: str | None = None
        if step.from_url:
            raw = self.page.current_url
            pattern = step.from_url
        else:
            element = self._find(step.selector, None, self._what(index, step.selector or ""), self._timeout(step),
                                 optional=step.optional)
            if element is not None:
                raw = (element.get_attribute(step.attribute) if step.attribute else element.text) or ""
            pattern = step.pattern
        found = _extract(raw or "", pattern)
        if not found:
            if step.optional:
                return "no booking id found (optional)"
            raise PageChanged(self.label, self._what(index, "the booking id"))
        self.booking_id = found
        return f"booking id {found}"

    @staticmethod
    def _locator(selector: str) -> tuple[str, str]:
        return ("css selector", selector)

    # -- the calendar -------------------------------------------------------------------------------
    def _page_timezone(self) -> str:
        if self._page_zone is None:
            self._page_zone = self.page.driver.execute_script(
                "return Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC"
        return self._page_zone

    def _zone(self, zone: str | None) -> str:
        chosen = zone or (self.recipe.timezone if self.recipe else None) or "page"
        return self._page_timezone() if chosen == "page" else chosen

    def _date_step(self) -> PickDateStep | None:
        index = self.recipe.date_index if self.recipe else None
        step = self.steps[index] if index is not None else None
        return step if isinstance(step, PickDateStep) else None

    def _time_step(self) -> PickTimeStep:
        step = self.steps[self.recipe.time_index]  # type: ignore[union-attr]
        assert isinstance(step, PickTimeStep)
        return step

    def _month_context(self, step: PickDateStep) -> date | None:
        if step.month_title is None:
            return None
        title = self.page.find(self._locator(step.month_title.selector), "the month title").text.strip()
        try:
            return datetime.strptime(title, step.month_title.format).date()
        except ValueError:
            raise PageChanged(self.label, f"a month title in the format {step.month_title.format!r} (saw {title!r})") from None

    def _read_days(self) -> list[tuple[date, bool, int]]:
        step = self._date_step()
        assert step is not None
        index = self.recipe.date_index  # type: ignore[union-attr]
        self.page.find(self._locator(step.days), self._what(index, f"the day cells ({step.days})"), visible=False)
        cells = self.page.driver.execute_script(_READ_CELLS_JS, step.days, step.date_from.attribute, step.disabled)
        month = None if format_has_month_and_year(step.date_from.format) else self._month_context(step)
        days = []
        for raw, disabled, position, _ in cells:
            text = _extract(raw or "", step.date_from.pattern)
            if not text:
                continue
            try:
                parsed = datetime.strptime(text.strip(), step.date_from.format).date()
            except ValueError:
                raise PageChanged(self.label, self._what(
                    index, f"day cells in the format {step.date_from.format!r} (saw {text!r})")) from None
            if month is not None:
                parsed = parsed.replace(year=month.year, month=month.month)
            days.append((parsed, bool(disabled), int(position)))
        return days

    def _next_month(self, before: list[tuple[date, bool, int]]) -> bool:
        step = self._date_step()
        assert step is not None
        if not step.next_month:
            return False
        buttons = [b for b in self.page.find_all(self._locator(step.next_month)) if b.is_displayed()]
        if not buttons or not buttons[0].is_enabled() or buttons[0].get_attribute("aria-disabled") == "true":
            return False
        signature = [d for d, _, _ in before]
        self.page.click(buttons[0], "the next-month button")
        self.page.wait_for(lambda _d: [d for d, _, _ in self._read_days()] != signature, "the next month to show")
        return True

    def _click_day(self, day: date) -> bool:
        """Select ``day`` if its cell is in the shown month and can be picked; False when it isn't shown."""
        step = self._date_step()
        assert step is not None
        for found, disabled, position in self._read_days():
            if found != day:
                continue
            if disabled:
                raise SlotTaken(f"{day:%a %d %b} can no longer be picked")
            cell = self.page.find_all(self._locator(step.days))[position]
            target = cell.find_element("css selector", step.click) if step.click else cell
            self.page.click(target, f"the day {day:%a %d %b}")
            self.selected_day = day
            if self.listener:
                self.listener(self.recipe.date_index + 1, step, f"picked the day {day:%a %d %b %Y}")  # type: ignore[operator,union-attr]
            after_date = self.recipe.date_index + 1  # type: ignore[union-attr,operator]
            between = range(after_date, self.recipe.time_index)  # type: ignore[union-attr]
            if not any(isinstance(self.steps[i], WaitStep) for i in between):
                self._wait_network_idle(f"the times of {day:%a %d %b} to load")
            self._run(after_date, self.recipe.time_index)  # type: ignore[union-attr]
            return True
        return False

    def _read_slots(self, day: date | None) -> list[tuple[OfferedSlot, int]]:
        step = self._time_step()
        index = self.recipe.time_index  # type: ignore[union-attr]
        read = step.time_from
        cells = self.page.driver.execute_script(_READ_CELLS_JS, step.slots, read.attribute, step.disabled)
        zone = self._zone(read.zone)
        length = timedelta(minutes=step.duration_minutes or self.recipe.duration_minutes)  # type: ignore[union-attr]
        slots = []
        for raw, disabled, position, _ in cells:
            if disabled:
                continue
            text = _extract(raw or "", read.pattern)
            if not text:
                continue
            try:
                start = parse_slot_time(text, read.format, zone, day)
            except (SlotParseError, ValueError, OverflowError):
                raise PageChanged(self.label, self._what(index, f"times in the format {read.format!r} (saw {text!r})")) from None
            slots.append((OfferedSlot(start, start + length, text.strip(), ref=(day, start)), int(position)))
        return slots

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        date_step = self._date_step()
        if date_step is None:
            try:  # times that carry their date: wait until the list shows (e.g. after choosing the person)
                slots, disabled = self._time_step().slots, self._time_step().disabled
                self.page.wait_for(lambda d: d.execute_script(_READ_CELLS_JS, slots, None, disabled),
                                   self._what(self.recipe.time_index, "the time slots"))  # type: ignore[union-attr]
            except PageChanged:
                return
            for slot, _ in self._read_slots(None):
                if window.start <= slot.start <= window.end:
                    yield slot
            return
        zone = self._zone(self.recipe.timezone if self.recipe else None)
        first_day = window.start.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
        last_day = window.end.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
        for _ in range(MAX_MONTHS):
            days = self._read_days()
            if not days:
                raise PageChanged(self.label, f"the day cells ({date_step.days})")
            for day, disabled, _ in days:
                if disabled or not first_day <= day <= last_day:
                    continue
                self._click_day(day)
                for slot, _ in self._read_slots(day):
                    if window.start <= slot.start <= window.end:
                        yield slot
            if max(d for d, _, _ in days) >= last_day or not self._next_month(days):
                return

    def _back_to_calendar(self) -> None:
        """Replay the steps from ``open`` (the page moved on: a later month, a later page)."""
        assert self.recipe is not None
        self._run(0, self.recipe.calendar_index)

    def choose_slot(self, slot: OfferedSlot) -> None:
        assert self.recipe is not None
        day, start = slot.ref
        if day is not None:
            shown = self.page.find_all(self._locator(self._date_step().days))  # type: ignore[union-attr]
            if not shown or not (self.selected_day == day or self._click_day(day)):
                self._back_to_calendar()
                for _ in range(MAX_MONTHS):
                    if self._click_day(day):
                        break
                    if not self._next_month(self._read_days()):
                        raise SlotTaken(f"{day:%a %d %b} is no longer offered")
        elif not self.page.find_all(self._locator(self._time_step().slots)):
            self._back_to_calendar()
        match = next((position for offered, position in self._read_slots(day) if offered.start == start), None)
        if match is None:
            raise SlotTaken(f"{slot.label} is no longer offered")
        element = self.page.find_all(self._locator(self._time_step().slots))[match]
        self.page.click(element, f"the time {slot.label}")
        if self.listener:
            self.listener(self.recipe.time_index + 1, self._time_step(), f"picked {slot.label} ({start.isoformat()})")

    # -- the agent's other steps ---------------------------------------------------------------------
    def open(self, url: str) -> None:
        assert self.recipe is not None, "configure() first"
        self.booking_url = url
        person = self.recipe.person_index
        self._run(0, person if person is not None else self.recipe.calendar_index)

    def people(self) -> list[str]:
        assert self.recipe is not None
        index = self.recipe.person_index
        if index is None:
            return []
        step = self.steps[index]
        if isinstance(step, SelectStep):
            select = self._select_element(index, step)
            assert select is not None
            return [o.text for o in self._real_options(select)]
        assert isinstance(step, ClickStep)
        self._find(step.selector, None, self._what(index, f"the people ({step.selector})"), self._timeout(step))
        elements = self.page.driver.execute_script(_FIND_JS, step.selector, None, True)
        return [e.text.strip() for e in elements if e.text.strip()]

    def choose_person(self, person: Person) -> bool:
        assert self.recipe is not None
        index = self.recipe.person_index
        if index is None:
            return False
        if not any(_same_name(person.name, offered) for offered in self.people()):
            return False
        self.person = person.name
        self._run(index, self.recipe.calendar_index)
        return True

    def fill_details(self, invitee: Invitee, message: str) -> None:
        assert self.recipe is not None
        self.values = _values_for(invitee, message)
        self._run(self.recipe.time_index + 1, self.recipe.submit_index)

    def submit(self) -> SubmitResult:
        assert self.recipe is not None
        self.submit_started = None
        self.booking_id = None
        self._run(self.recipe.submit_index, len(self.steps))
        confirmed = self.recipe.confirms
        name = self.recipe.name or "the booking page"
        return SubmitResult(
            confirmed=confirmed,
            external_booking_id=self.booking_id,
            host_name=self.person,
            summary=f"{name} accepted the booking" + (f" (reference {self.booking_id})" if self.booking_id else "")
            + ("" if confirmed else "; it waits for their confirmation"),
            status_url=self.page.current_url,
        )


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class Option:
    """One ``<option>`` of a drop-down: its position, value, visible text and whether it can be chosen."""

    index: int
    value: str
    text: str
    enabled: bool


# Disabled: the option itself, or its <optgroup> (as WebElement.is_enabled says).
_OPTIONS_JS = """
return Array.from(arguments[0].options).map((o, i) => [i, o.value || '', (o.text || '').replace(/\\s+/g, ' ').trim(),
  !(o.disabled || (o.parentElement && o.parentElement.tagName === 'OPTGROUP' && o.parentElement.disabled))]);
"""


# A drop-down's prompt rather than a choice: blank, dashes or dots, or an instruction to pick.
PLACEHOLDER_OPTION = re.compile(r"^[\s\-–—_.…*]*$|^[\s\-–—]*(?:please\b|(?:select|choose|pick)\b)", re.I)


def _placeholder(option: Option) -> bool:
    return bool(PLACEHOLDER_OPTION.match(option.text))


def _option_by_text(options: Sequence[Option], wanted: str) -> Option | None:
    texts = [(o, " ".join(o.text.split()).casefold()) for o in options]
    want = " ".join(wanted.split()).casefold()
    exact = [o for o, t in texts if t == want]
    if exact:
        return exact[0]
    partial = [o for o, t in texts if want and want in t]
    return partial[0] if len(partial) == 1 else None


def _extract(raw: str, pattern: str | None) -> str | None:
    if not pattern:
        return raw.strip() or None
    match = re.search(pattern, raw)
    if not match:
        return None
    return (match.group(1) if match.re.groups else match.group(0)).strip()


def _values_for(invitee: Invitee, message: str) -> _Values:
    return _Values({
        "name": invitee.name, "first_name": invitee.first_name, "last_name": invitee.last_name,
        "email": invitee.email, "phone": invitee.phone or "", "company": invitee.company,
        "role": invitee.role, "message": message,
    })


_CLOCK_TOKEN = re.compile(r"\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?\s?m\.?)?", re.IGNORECASE)


def parse_slot_time(text: str, fmt: str, zone: str, day: date | None) -> datetime:
    """A slot's start from its attribute or text: iso, unix (s or ms), clock ("4:00pm") or strptime."""
    raw = text.strip()
    if fmt == "iso":
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return value if value.tzinfo else localize(value.date(), value.time(), zone)
    if fmt == "unix":
        number = float(raw)
        return datetime.fromtimestamp(number / 1000 if number > 1e11 else number, timezone.utc)
    if fmt == "clock":
        if day is None:
            raise SlotParseError(f"{raw!r} has no date")
        try:
            clock = parse_clock(raw)
        except SlotParseError:
            token = _CLOCK_TOKEN.search(raw)
            if not token:
                raise
            clock = parse_clock(token.group(0))
        return localize(day, clock, zone)
    value = datetime.strptime(raw, fmt)
    if not format_has_date(fmt):
        if day is None:
            raise SlotParseError(f"{raw!r} has no date")
        value = datetime.combine(day, value.time())
    if value.tzinfo is not None:
        return value
    return localize(value.date(), value.time(), zone)

