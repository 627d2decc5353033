"""The steps a recipe is made of: one validated model per step kind, and what their fields may hold.

Each step checks its own fields (regexes compile, date/time formats parse, zones exist, placeholders
are known) so :mod:`booking.recipes.loading` can reject a recipe before a browser starts; the order
of the steps is checked there. The custom platform (:mod:`booking.platforms.custom`) runs them.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from booking.recipes.locators import FieldRef, RecipeModel, Target, check_name, check_regex

# What fill templates may use (the teammate and the composed intro message).
FILL_PLACEHOLDERS = ("name", "first_name", "last_name", "email", "phone", "company", "role", "message")
PERSON_PLACEHOLDER = "{person}"
URL_PLACEHOLDER = "{url}"
DEFAULT_DISABLED = ':disabled, [disabled], [aria-disabled="true"]'
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
TIME_KEYWORDS = ("iso", "unix", "clock")
# Pinned to what ``auto`` reads: the date controls its readers know, and times named by a clock time.
DATE_CONTROLS = ("day_grid", "week_grid", "date_field", "date_list", "day_slots")
CLOCK_TIMES = "clock_times"


def zone_or_page(value: str | None) -> str | None:
    if value is not None and value != "page":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Helsinki, or 'page')") from None
    return value


def _check_format(value: str, needs: str) -> str:
    try:
        datetime.now().strftime(value)
    except ValueError as exc:
        raise ValueError(f"not a valid date format ({exc})") from None
    if needs == "day" and "%d" not in value and "%j" not in value:
        raise ValueError(f"{value!r} has no day (%d)")
    return value


def format_has_date(fmt: str) -> bool:
    return fmt in ("iso", "unix") or "%d" in fmt


def format_has_month_and_year(fmt: str) -> bool:
    return any(c in fmt for c in ("%m", "%b", "%B")) and any(c in fmt for c in ("%Y", "%y"))


# -- the steps ----------------------------------------------------------------------------------------

class Step(RecipeModel):
    kind: ClassVar[str]
    timeout: float | None = Field(default=None, gt=0, le=600, description="seconds; default BOOKER_STEP_TIMEOUT")

    def describe(self) -> str:
        return self.kind


class OpenStep(Step):
    kind = "open"
    url: str

    def describe(self) -> str:
        return f"open {self.url}"


class ClickStep(Step, Target):
    kind = "click"
    optional: bool = False

    def describe(self) -> str:
        return f"click {self.shown}"


class SubmitStep(Step, Target):
    kind = "submit"

    def describe(self) -> str:
        return f"submit with {self.shown}"


class FrameStep(Step):
    """Step into a booking widget's ``<iframe>``: the largest one shown, or the one with this title."""

    kind = "frame"
    largest: bool = False
    title: str | None = None

    @field_validator("title")
    @classmethod
    def _title_ok(cls, value: str | None) -> str | None:
        return check_name(value)

    @model_validator(mode="after")
    def _one_way(self) -> "FrameStep":
        if self.largest == bool(self.title):
            raise ValueError("name the frame in exactly one way: largest: true, or title")
        return self

    def describe(self) -> str:
        return f"step into the frame titled {self.title!r}" if self.title else "step into the largest frame"


class SelectStep(Step, FieldRef):
    kind = "select"
    text: str | None = None
    value: str | None = None
    first_real: bool = False
    optional: bool = False

    @model_validator(mode="after")
    def _one_way(self) -> "SelectStep":
        ways = [self.text is not None, self.value is not None, self.first_real]
        if sum(ways) != 1:
            raise ValueError("choose the option in exactly one way: text, value, or first_real: true")
        return self

    def describe(self) -> str:
        how = f"text {self.text!r}" if self.text is not None else (
            f"value {self.value!r}" if self.value is not None else "the first real option")
        return f"select {how} in {self.shown}"


class FillStep(Step, FieldRef):
    kind = "fill"
    value: str
    optional: bool = False

    @field_validator("value")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        for name in _PLACEHOLDER.findall(value.replace("{{", "").replace("}}", "")):
            if name not in FILL_PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in FILL_PLACEHOLDERS)
                raise ValueError(f"unknown placeholder {{{name}}}; use one of {known}")
        return value

    def describe(self) -> str:
        return f"fill {self.shown} with {self.value!r}"


class WaitStep(Step):
    kind = "wait"
    selector: str | None = None
    text: str | None = None
    network_idle: bool = False
    quiet_ms: int = Field(default=150, ge=0, le=5000)

    @model_validator(mode="after")
    def _one_thing(self) -> "WaitStep":
        if sum([bool(self.selector), bool(self.text), self.network_idle]) != 1:
            raise ValueError("wait for exactly one thing: selector, text, or network_idle: true")
        return self

    def describe(self) -> str:
        if self.network_idle:
            return "wait for the page's requests to finish"
        return f"wait for {self.selector or repr(self.text)}"


class _ReadFrom(RecipeModel):
    """Where a value is read on an element: an attribute, or its visible text."""

    attribute: str | None = None
    text: bool = False
    pattern: str | None = None          # a regex; its first group (or the match) is what gets parsed

    @field_validator("pattern")
    @classmethod
    def check_pattern(cls, value: str | None) -> str | None:
        return check_regex(value)

    @model_validator(mode="after")
    def _one_source(self) -> "_ReadFrom":
        if bool(self.attribute) == bool(self.text):
            raise ValueError("read from exactly one of: attribute: <name>, or text: true")
        return self


class DateFrom(_ReadFrom):
    format: str

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        return _check_format(value, "day")


class MonthTitle(RecipeModel):
    selector: str
    format: str = "%B %Y"

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        _check_format(value, "month")
        if not format_has_month_and_year(value):
            raise ValueError(f"{value!r} needs a month (%B, %b or %m) and a year (%Y)")
        return value


class PickDateStep(Step):
    """The days: CSS cells read by ``date_from``, or ``control``: the kind of date control ``auto`` read
    on the page, picked again with auto's reader of that kind (no discovery at run time)."""

    kind = "pick_date"
    control: Literal["day_grid", "week_grid", "date_field", "date_list", "day_slots"] | None = None
    days: str | None = None                     # CSS selector of every day cell of the shown month
    date_from: DateFrom | None = None
    disabled: str = DEFAULT_DISABLED            # a cell matching this selector can't be picked
    next_month: str | None = None
    month_title: MonthTitle | None = None
    click: str | None = None                    # selector inside the cell to click (default: the cell)

    @model_validator(mode="after")
    def _month_known(self) -> "PickDateStep":
        if self.control is not None:
            if self.days or self.date_from or self.next_month or self.month_title or self.click:
                raise ValueError("with control, give no CSS (days, date_from, next_month, month_title, click)")
            return self
        if not self.days or self.date_from is None:
            raise ValueError(f"give days and date_from (CSS), or control: one of {', '.join(DATE_CONTROLS)}")
        if not format_has_month_and_year(self.date_from.format) and self.month_title is None:
            raise ValueError("date_from.format has no month and year, so month_title {selector, format} is needed")
        return self

    def describe(self) -> str:
        return f"pick a date in the page's {self.control}" if self.control else f"pick a date in {self.days}"


class TimeFrom(_ReadFrom):
    format: str = "clock"       # iso | unix | clock ("4:00pm", "14:00") | a strptime format
    zone: str | None = None     # IANA zone of the times shown; "page" = the browser's zone

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value in TIME_KEYWORDS:
            return value
        _check_format(value, "time")
        if "%H" not in value and "%I" not in value:
            raise ValueError(f"{value!r} has no hour (%H, or %I with %p); or use iso, unix or clock")
        return value

    @field_validator("zone")
    @classmethod
    def check_zone(cls, value: str | None) -> str | None:
        return zone_or_page(value)


class PickTimeStep(Step):
    """The times: CSS slots read by ``time_from``, or ``slots: clock_times``: the controls named by a
    clock time (buttons, radios, options, links), read as ``auto`` reads them, in ``zone``."""

    kind = "pick_time"
    slots: str                                  # CSS selector of every time slot in the list, or clock_times
    time_from: TimeFrom | None = None
    zone: str | None = None                     # with clock_times: the zone the page shows times in
    duration_minutes: int | None = Field(default=None, gt=0, le=600)
    disabled: str = DEFAULT_DISABLED

    @field_validator("zone")
    @classmethod
    def check_zone(cls, value: str | None) -> str | None:
        return zone_or_page(value)

    @model_validator(mode="after")
    def _one_reader(self) -> "PickTimeStep":
        if self.by_clock:
            if self.time_from is not None:
                raise ValueError("clock_times are read by their names: give no time_from")
        elif self.time_from is None:
            raise ValueError(f"give time_from for the CSS slots, or slots: {CLOCK_TIMES}")
        elif self.zone is not None:
            raise ValueError("zone goes with slots: clock_times; CSS slots take time_from.zone")
        return self

    @property
    def by_clock(self) -> bool:
        return self.slots == CLOCK_TIMES

    def describe(self) -> str:
        return "pick a time named by its clock" if self.by_clock else f"pick a time in {self.slots}"


class MailMatch(RecipeModel):
    sender: str | None = Field(default=None, alias="from")
    subject: str | None = None

    @model_validator(mode="after")
    def _something(self) -> "MailMatch":
        if not self.sender and not self.subject:
            raise ValueError("match the mail by from, subject, or both")
        return self


class EnterCodeStep(Step, FieldRef):
    """The code a page e-mails after the submit: read from the job's mailbox (mail matching ``mail``, else any
    mail to the guest since the submit, as ``auto`` reads it), typed into the field (by ``label`` as a person
    reads it, or CSS ``field``), then ``press`` — the code's own button (Submit, Verify) — when given."""

    kind = "enter_code"
    mail: MailMatch | None = None
    pattern: str = r"\b(\d{4,8})\b"
    press: Target | None = None
    timeout: float | None = Field(default=180, gt=0, le=1800)

    @field_validator("pattern")
    @classmethod
    def check_pattern(cls, value: str) -> str:
        check_regex(value)
        return value

    def describe(self) -> str:
        sender = self.mail.sender if self.mail else None
        pressed = f", then press {self.press.shown}" if self.press else ""
        return f"enter the code e-mailed {'from ' + sender if sender else 'to you'} in {self.shown}{pressed}"


class Indicator(Target):
    pass


def _indicators(value: Any) -> Any:
    """Shorthand: a plain string is a selector."""
    if isinstance(value, list):
        return [{"selector": v} if isinstance(v, str) else v for v in value]
    return value


class SuccessStep(Step):
    kind = "success"
    any: list[Indicator] = Field(min_length=1)
    slot_taken: list[Indicator] = Field(default_factory=list)
    failure: list[Indicator] = Field(default_factory=list)
    confirmed: bool = True      # False: the page only *requested* the meeting (pending until they accept)

    @field_validator("any", "slot_taken", "failure", mode="before")
    @classmethod
    def shorthand(cls, value: Any) -> Any:
        return _indicators(value)

    def describe(self) -> str:
        return "check the page says it worked"


class BookingIdStep(Step):
    kind = "booking_id"
    from_url: str | None = None                 # regex on the URL
    selector: str | None = None
    attribute: str | None = None
    pattern: str | None = None                  # regex on the element's text/attribute
    optional: bool = True

    @field_validator("from_url", "pattern")
    @classmethod
    def check_regexes(cls, value: str | None) -> str | None:
        return check_regex(value)

    @model_validator(mode="after")
    def _one_source(self) -> "BookingIdStep":
        if bool(self.from_url) == bool(self.selector):
            raise ValueError("read the id from exactly one of: from_url (a regex), or selector")
        return self

    def describe(self) -> str:
        return "read the booking id"


STEP_TYPES: dict[str, type[Step]] = {
    cls.kind: cls for cls in (OpenStep, ClickStep, SelectStep, PickDateStep, PickTimeStep, FillStep, WaitStep,
                              EnterCodeStep, SubmitStep, SuccessStep, BookingIdStep, FrameStep)
}
AnyStep = Union[OpenStep, FrameStep, ClickStep, SelectStep, PickDateStep, PickTimeStep, FillStep, WaitStep,
                EnterCodeStep, SubmitStep, SuccessStep, BookingIdStep]


def is_person_step(step: Step) -> bool:
    words = [step.text, step.name] if isinstance(step, ClickStep) else [step.text] if isinstance(step, SelectStep) else []
    return any(w is not None and PERSON_PLACEHOLDER in w for w in words)
