"""Running a recipe's steps on the page, one by one: open, click, select, fill, wait, submit, the
e-mailed code, the success check and the booking id.

Every wait is the step's own timeout (else the page's), cut to what is left of the job's time budget
through ``context.within_budget`` (the workflow sets it; a platform never reads the store). The
calendar (:mod:`.calendar`) and the agent's phases (:mod:`.platform`) build on this class.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from selenium.common.exceptions import UnexpectedTagNameException, WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from booking.browser.drivers import execute_cdp
from booking.domain.errors import BookingError, FieldCannotBeFilled, PageChanged, SlotTaken
from booking.domain.urls import check_booking_url
from booking.mail.mailbox import CodeReader, MailMessage, MailQuery
from booking.platforms.base import Platform
from booking.platforms.custom.locating import TAKEN_NAME, frame_for, labelled, name_matches, role_hits, words_of
from booking.platforms.custom.reading import MISSING_HELP, FillValues, Option, extract, is_placeholder, option_by_text
from booking.platforms.custom.scripts import FIND_JS, NETWORK_COUNTER_JS, NETWORK_IDLE_JS, OPTIONS_JS
from booking.recipes.schema import Recipe
from booking.recipes.steps import (
    PERSON_PLACEHOLDER, URL_PLACEHOLDER, BookingIdStep, ClickStep, EnterCodeStep, FillStep, FrameStep, Indicator,
    OpenStep, SelectStep, Step, SubmitStep, SuccessStep, Target, WaitStep,
)

log = logging.getLogger("booking.platforms.custom")  # one logger for the recipe engine, as before the split

# step listener: (1-based step number, the step, what happened) — the ``try`` command prints and screenshots
StepListener = Callable[[int, Step, str], None]
OPTIONAL_WAIT = 3.0
SUBMIT_ANSWER_TIMEOUT = 30.0
CODE_MAIL_SLACK = timedelta(minutes=2)  # mail clocks and ours differ a little
# A slot refused when a click after pick_time sends it (a "Continue" before the form): an alert or status line
# saying the time is taken, whatever the recipe's success step says.
TAKEN_ANSWERS = (Indicator(role="alert", name=TAKEN_NAME), Indicator(role="status", name=TAKEN_NAME))


class DryRunStop(Exception):
    """``try --dry-run`` reached the first submit step; nothing was sent."""


class RecipeSteps(Platform):
    """A recipe's steps run against the page; abstract: :class:`.platform.CustomRecipe` is the platform."""

    def __init__(self, page, options=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(page, options)
        self.recipe: Recipe | None = None
        self.listener: StepListener | None = None
        self.dry_run = False
        self.booking_url = ""
        self.person: str | None = None
        self.values = FillValues({})
        self.booking_id: str | None = None
        self.submit_started: datetime | None = None
        self._old_code_mails: set[MailMessage] = set()  # code mails already there before the last send
        self._counter_installed = False
        self._watch_taken: Sequence[Indicator] = ()  # after a click that sent the chosen time: a taken-slot answer

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
        return self.context.within_budget(step.timeout or self.page.timeout)

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
            return driver.execute_script(FIND_JS, selector, text, False)

        return self._wait_for(found, what, timeout, optional)

    def _wait_for(self, found: Callable[[WebDriver], Any], what: str, timeout: float,
                  optional: bool) -> WebElement | None:
        """Wait for the element ``found`` returns; an optional step waits briefly and yields None.

        After a click that sent the chosen time, the page may answer that the time is taken instead of
        showing the next step: that answer is SlotTaken (the alternative is tried), not a missing element."""
        watched = self._watch_taken

        def found_or_taken(driver: WebDriver) -> Any:
            taken = self._indicator_hit(watched, {})
            if taken:
                self._watch_taken = ()
                raise SlotTaken(f"The page said: {taken[:200]}")
            return found(driver)

        try:
            element = self.page.wait_for(found_or_taken if watched else found, what,
                                         min(timeout, OPTIONAL_WAIT) if optional else timeout)
        except PageChanged:
            if optional:
                return None
            raise
        self._watch_taken = ()  # the next step showed: the page took the time
        return element

    def _sent_time(self, index: int) -> None:
        """A click after pick_time may send the chosen time to the page: watch the next steps for it being taken
        (the built-in words, and the recipe's own slot_taken indicators)."""
        assert self.recipe is not None
        if index > self.recipe.time_index:
            success = next((s for s in self.steps[index + 1:] if isinstance(s, SuccessStep)), None)
            self._watch_taken = TAKEN_ANSWERS + tuple(success.slot_taken if success else ())

    def _find_target(self, target: Target, what: str, timeout: float, *, optional: bool = False) -> WebElement | None:
        """The step's element: by role and accessible name (enabled ones only), else by CSS/text."""
        if not target.role:
            text = target.text.replace(PERSON_PLACEHOLDER, self.person or "") if target.text else None
            return self._find(target.selector, text, what, timeout, optional=optional)
        role_name, name = target.role, target.name

        def found(_driver: WebDriver) -> WebElement | bool:
            hits = role_hits(self.page, role_name, name, self.person or "", enabled=True)
            return hits[0].element if hits else False

        return self._wait_for(found, what, timeout, optional)

    def _find_field(self, step: SelectStep | FillStep | EnterCodeStep, what: str,
                    optional: bool) -> WebElement | None:
        if step.field:
            return self._find(step.field, None, what, self._timeout(step), optional=optional)
        label = step.label or ""
        return self._wait_for(lambda _d: labelled(self.page, label) or False, what, self._timeout(step), optional)

    def _do_frame(self, index: int, step: FrameStep) -> str:
        what = self._what(index, step.describe().removeprefix("step into "))
        frame = self.page.wait_for(lambda _d: frame_for(self.page, step.title) or False, what, self._timeout(step))
        self.page.enter_frame(frame, what)
        return step.describe().replace("step into", "stepped into")

    def _do_open(self, index: int, step: OpenStep) -> str:
        self._install_counter()
        self._watch_taken = ()
        url = step.url.replace(URL_PLACEHOLDER, self.booking_url)
        settings = self.context.settings
        check_booking_url(url, settings.allowed_hosts if settings else ())
        self.page.goto(url)
        self.page.wait_for(lambda d: d.execute_script("return document.readyState") == "complete",
                           self._what(index, "the page to load"))
        self.page.driver.execute_script(NETWORK_COUNTER_JS)  # no-op when CDP already injected it
        return f"opened {url}"

    def _do_click(self, index: int, step: ClickStep) -> str:
        shown = step.shown.replace(PERSON_PLACEHOLDER, self.person or "")
        what = self._what(index, shown)
        element = self._find_target(step, what, self._timeout(step), optional=step.optional)
        if element is None:
            return f"skipped: {step.describe()} (not on the page, optional)"
        self.page.click(element, what)
        self._sent_time(index)
        return f"clicked {shown}"

    def _do_submit(self, index: int, step: SubmitStep) -> str:
        if self.dry_run:
            raise DryRunStop(f"Dry run: stopped before step {index + 1} ({step.describe()}); nothing was sent")
        if self.submit_started is None:
            self.submit_started = self.context.clock()
        what = self._what(index, step.shown)
        element = self._find_target(step, what, self._timeout(step))
        assert element is not None
        self._note_code_mails_before_sending(index)
        self.page.click(element, what)
        self._sent_time(index)
        return f"submitted with {step.shown}"

    def _code_query(self, step: EnterCodeStep) -> MailQuery | None:
        mailbox, invitee = self.context.mailbox, self.context.invitee
        if mailbox is None or invitee is None:
            return None
        after = (self.submit_started or self.context.clock()) - CODE_MAIL_SLACK
        mail = step.mail
        return MailQuery(to=invitee.email, after=after, sender=mail.sender if mail else None,
                         subject=mail.subject if mail else None)

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
        what = self._what(index, f"the drop-down {step.shown}")
        element = self._find_field(step, what, optional)
        if element is None:
            return None
        try:
            Select(element)  # checks that it is a <select>
        except UnexpectedTagNameException:
            raise BookingError(f"Recipe {what} is not a <select>; use a click step for this control") from None
        return element

    def _options(self, select: WebElement) -> list[Option]:
        """Every option of the drop-down, read in one call (Selenium's Select reads each one separately)."""
        return [Option(*row) for row in self.page.driver.execute_script(OPTIONS_JS, select)]

    def _real_options(self, select: WebElement) -> list[Option]:
        """The options a person could mean: not disabled, not empty, not a prompt ("Please select a
        staff member", "Choose…", "-- Select --"), which pages often give a value or none at all."""
        return [o for o in self._options(select) if o.enabled and o.value.strip() and not is_placeholder(o)]

    def _do_select(self, index: int, step: SelectStep) -> str:
        select = self._select_element(index, step, optional=step.optional)
        if select is None:
            return f"skipped: {step.describe()} (not on the page, optional)"
        chosen: Option | None
        if step.first_real:
            chosen = next(iter(self._real_options(select)), None)
            if chosen is None:
                raise PageChanged(self.label, self._what(index, f"an option to choose in {step.shown}"))
        elif step.value is not None:
            chosen = next((o for o in self._options(select) if o.value == step.value), None)
            if chosen is None:
                raise PageChanged(self.label, self._what(index, f"the option with value {step.value!r} in {step.shown}"))
        else:
            wanted = (step.text or "").replace(PERSON_PLACEHOLDER, self.person or "").strip()
            options = self._real_options(select)
            chosen = option_by_text(options, wanted)
            if chosen is None:
                offered = ", ".join(o.text for o in options[:10])
                raise BookingError(f"Recipe {self._what(index, f'{step.shown} has no option {wanted!r}')} "
                                   f"(it offers: {offered})")
        if not chosen.enabled:
            raise BookingError(f"Recipe {self._what(index, f'{step.shown}: the option {chosen.text!r} is disabled')}")
        # What Select.select_by_index does (click the option unless it is selected), in two calls.
        option = self.page.driver.execute_script("return arguments[0].options[arguments[1]]", select, chosen.index)
        if not option.is_selected():
            option.click()
        return f"selected {chosen.text!r} in {step.shown}"

    def _do_fill(self, index: int, step: FillStep) -> str:
        value, missing = self.values.render(step.value)
        what = self._what(index, step.shown if step.label else f"the field {step.shown}")
        element = self._find_field(step, what, step.optional)
        if element is None:
            return f"skipped: {step.describe()} (not on the page, optional)"
        if missing and not value.strip():
            if step.optional and not element.get_attribute("required"):
                return f"skipped {step.shown}: no value for {{{missing[0]}}}"
            need = MISSING_HELP.get(missing[0], f"your {missing[0].replace('_', ' ')}")
            raise FieldCannotBeFilled(f"The page requires {need} (recipe step {index + 1}), which Booker doesn't have")
        self.page.fill(element, value, what)
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"filled {step.shown} with {shown!r}"

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
            state = driver.execute_script(NETWORK_IDLE_JS, quiet_ms)
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

        what = self._what(index, step.shown if step.label else f"the code field {step.field}")
        # By label, the field first: it shows once the page has sent the code (a CSS field is found when typing).
        field = self._find_field(step, what, optional=False) if step.label else None
        code = CodeReader(self.context.mailbox, wait).wait_for_code(query, step.pattern, self._timeout(step),
                                                                    ignore=self._old_code_mails)
        self.page.fill(field if field is not None else self._locator(step.field or ""), code, what)
        if step.press is None:
            return f"entered the code from the e-mail ({len(code)} characters)"
        button_what = self._what(index, step.press.shown)
        button = self._find_target(step.press, button_what, self._timeout(step))
        assert button is not None
        self.page.click(button, button_what)
        return f"entered the code from the e-mail ({len(code)} characters) and pressed {step.press.shown}"

    def _indicator_hit(self, indicators: Sequence[Indicator], seen: dict[str, Any]) -> str | None:
        """The words of the first indicator shown, judged on ``seen``: one reading of the page per poll, so an
        alert filled in between two checks is never a plain refusal to one and unseen by the other."""
        driver = self.page.driver
        for indicator in indicators:
            if indicator.role:
                if indicator.role not in seen:
                    seen[indicator.role] = role_hits(self.page, indicator.role, None)
                hits = [words_of(f) for f in seen[indicator.role] if name_matches(indicator.name, words_of(f))]
                if any(hits):
                    return next(w for w in hits if w)
            elif indicator.selector:
                found = driver.execute_script(FIND_JS, indicator.selector, indicator.text, False)
                if found is not None:
                    return (found.text or indicator.text or indicator.selector).strip()
            elif indicator.text:
                if "" not in seen:
                    seen[""] = driver.find_element("tag name", "body").text.casefold()
                if indicator.text.casefold() in seen[""]:
                    return indicator.text
        return None

    def _do_success(self, index: int, step: SuccessStep) -> str:
        self._watch_taken = ()  # the success step judges the answer itself
        def outcome(_driver: WebDriver) -> tuple[str, str] | None:
            seen: dict[str, Any] = {}
            for kind, indicators in (("taken", step.slot_taken), ("failure", step.failure), ("ok", step.any)):
                hit = self._indicator_hit(indicators, seen)
                if hit:
                    return kind, hit
            return None

        # A sent form may take a while to answer: unless the recipe says otherwise, wait at least 30 s.
        timeout = self.context.within_budget(step.timeout or max(self.page.timeout, SUBMIT_ANSWER_TIMEOUT))
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
        found = extract(raw or "", pattern)
        if not found:
            if step.optional:
                return "no booking id found (optional)"
            raise PageChanged(self.label, self._what(index, "the booking id"))
        self.booking_id = found
        return f"booking id {found}"

    @staticmethod
    def _locator(selector: str) -> tuple[str, str]:
        return ("css selector", selector)
