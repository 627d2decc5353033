"""The steps a recipe is made of: one validated model per step kind, and what their fields may hold.

Each step checks its own fields (regexes compile, date/time formats parse, zones exist, placeholders
are known) so :mod:`booking.recipes.loading` can reject a recipe before a browser starts; the order
of the steps is checked there. The custom platform (:mod:`booking.platforms.custom`) runs them.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# What fill templates may use (the teammate and the composed intro message).
FILL_PLACEHOLDERS = ("name", "first_name", "last_name", "email", "phone", "company", "role", "message")
PERSON_PLACEHOLDER = "{person}"
URL_PLACEHOLDER = "{url}"
DEFAULT_DISABLED = ':disabled, [disabled], [aria-disabled="true"]'
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
TIME_KEYWORDS = ("iso", "unix", "clock")


def _check_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc})") from None
    return value


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

class RecipeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Step(RecipeModel):
    kind: ClassVar[str]
    timeout: float | None = Field(default=None, gt=0, le=600, description="seconds; default BOOKER_STEP_TIMEOUT")

    def describe(self) -> str:
        return self.kind


class _Target(RecipeModel):
    """An element by CSS selector, by visible text, or both (the selector's element with that text)."""

    selector: str | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "_Target":
        if not self.selector and not self.text:
            raise ValueError("give a selector, a text, or both")
        return self


class OpenStep(Step):
    kind = "open"
    url: str

    def describe(self) -> str:
        return f"open {self.url}"


class ClickStep(Step, _Target):
    kind = "click"
    optional: bool = False

    def describe(self) -> str:
        return f"click {self.text or self.selector!r}" if self.text else f"click {self.selector}"


class SubmitStep(Step, _Target):
    kind = "submit"

    def describe(self) -> str:
        return f"submit with {self.text or self.selector!r}"


class SelectStep(Step):
    kind = "select"
    field: str
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
        return f"select {how} in {self.field}"


class FillStep(Step):
    kind = "fill"
    field: str
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
        return f"fill {self.field} with {self.value!r}"


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
        return _check_regex(value)

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
    kind = "pick_date"
    days: str                                   # CSS selector of every day cell of the shown month
    date_from: DateFrom
    disabled: str = DEFAULT_DISABLED            # a cell matching this selector can't be picked
    next_month: str | None = None
    month_title: MonthTitle | None = None
    click: str | None = None                    # selector inside the cell to click (default: the cell)

    @model_validator(mode="after")
    def _month_known(self) -> "PickDateStep":
        if not format_has_month_and_year(self.date_from.format) and self.month_title is None:
            raise ValueError("date_from.format has no month and year, so month_title {selector, format} is needed")
        return self

    def describe(self) -> str:
        return f"pick a date in {self.days}"


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
    kind = "pick_time"
    slots: str                                  # CSS selector of every time slot in the list
    time_from: TimeFrom
    duration_minutes: int | None = Field(default=None, gt=0, le=600)
    disabled: str = DEFAULT_DISABLED

    def describe(self) -> str:
        return f"pick a time in {self.slots}"


class MailMatch(RecipeModel):
    sender: str | None = Field(default=None, alias="from")
    subject: str | None = None

    @model_validator(mode="after")
    def _something(self) -> "MailMatch":
        if not self.sender and not self.subject:
            raise ValueError("match the mail by from, subject, or both")
        return self


class EnterCodeStep(Step):
    kind = "enter_code"
    mail: MailMatch
    pattern: str = r"\b(\d{4,8})\b"
    field: str
    timeout: float | None = Field(default=180, gt=0, le=1800)

    @field_validator("pattern")
    @classmethod
    def check_pattern(cls, value: str) -> str:
        _check_regex(value)
        return value

    def describe(self) -> str:
        return f"enter the code e-mailed {'from ' + self.mail.sender if self.mail.sender else 'to you'}"


class Indicator(_Target):
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
        return _check_regex(value)

    @model_validator(mode="after")
    def _one_source(self) -> "BookingIdStep":
        if bool(self.from_url) == bool(self.selector):
            raise ValueError("read the id from exactly one of: from_url (a regex), or selector")
        return self

    def describe(self) -> str:
        return "read the booking id"


STEP_TYPES: dict[str, type[Step]] = {
    cls.kind: cls for cls in (OpenStep, ClickStep, SelectStep, PickDateStep, PickTimeStep, FillStep, WaitStep,
                              EnterCodeStep, SubmitStep, SuccessStep, BookingIdStep)
}
AnyStep = Union[OpenStep, ClickStep, SelectStep, PickDateStep, PickTimeStep, FillStep, WaitStep,
                EnterCodeStep, SubmitStep, SuccessStep, BookingIdStep]


def is_person_step(step: Step) -> bool:
    return isinstance(step, (SelectStep, ClickStep)) and step.text is not None and PERSON_PLACEHOLDER in step.text
