"""Recipes: a declarative, validated description of how to book on a page no platform module knows.

A teammate writes one in YAML by looking at the page (README "Recipes" has the full format and an
example); ``python -m booking try`` runs it step by step. :func:`load_recipe` validates everything
it can before a browser starts — unknown steps or fields, missing fields, wrong types, unknown
placeholders, bad regexes, date/time formats, time zones, and the order of the steps — and
rejects an invalid recipe with the step number and the field that is wrong.

Steps run in order; the custom platform (``booking/platforms/custom.py``) maps them onto the
agent's flow so the calendar matching still applies: steps before the person/calendar steps open
the page, a ``select``/``click`` whose text is ``{person}`` chooses the person, ``pick_date`` +
``pick_time`` describe the calendar the agent scans, the steps between ``pick_time`` and the first
``submit`` fill the details, and the first ``submit`` starts the sending phase (``try --dry-run``
stops before it).

The original plan's flat ``selectors`` / ``success_indicators`` config converts to a recipe with
:func:`recipe_from_selectors`.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar, Mapping, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from booking.domain.errors import BookingError

# What fill templates may use (the teammate and the composed intro message).
FILL_PLACEHOLDERS = ("name", "first_name", "last_name", "email", "phone", "company", "role", "message")
PERSON_PLACEHOLDER = "{person}"
URL_PLACEHOLDER = "{url}"
DEFAULT_DISABLED = ':disabled, [disabled], [aria-disabled="true"]'
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
TIME_KEYWORDS = ("iso", "unix", "clock")
# A real recipe is a few kB and a few dozen steps; far more is a mistake or an attack on the parser.
MAX_RECIPE_CHARS = 100_000
MAX_STEPS = 60
# The steps' own timeouts together: no job may run longer (BOOKER_JOB_BUDGET_SECONDS is at most this),
# so a recipe whose waits add up to more could never finish. At run time each wait is also cut to what
# is left of the job's budget (booking/liveness.py).
MAX_TOTAL_WAIT_SECONDS = 3600


class RecipeError(BookingError):
    """An invalid recipe; the message names the step (1-based) and the field."""

    def __init__(self, problem: str, step: int | None = None, kind: str | None = None, field: str | None = None) -> None:
        where = "Recipe"
        if step is not None:
            where += f" step {step}" + (f" ({kind})" if kind else "")
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")
        self.step = step
        self.field = field
        self.problem = problem


def _check_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc})") from None
    return value


def _check_zone(value: str | None) -> str | None:
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

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Step(_Model):
    kind: ClassVar[str]
    timeout: float | None = Field(default=None, gt=0, le=600, description="seconds; default BOOKER_STEP_TIMEOUT")

    def describe(self) -> str:
        return self.kind


class _Target(_Model):
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


class _ReadFrom(_Model):
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


class MonthTitle(_Model):
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
        return _check_zone(value)


class PickTimeStep(Step):
    kind = "pick_time"
    slots: str                                  # CSS selector of every time slot in the list
    time_from: TimeFrom
    duration_minutes: int | None = Field(default=None, gt=0, le=600)
    disabled: str = DEFAULT_DISABLED

    def describe(self) -> str:
        return f"pick a time in {self.slots}"


class MailMatch(_Model):
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


class RecipeHeader(_Model):
    name: str | None = None
    timezone: str | None = None                 # zone of times read from the page (default: the browser's)
    duration_minutes: int = Field(default=30, gt=0, le=600)
    steps: list[Any]

    @field_validator("timezone")
    @classmethod
    def check_zone(cls, value: str | None) -> str | None:
        return _check_zone(value)


class Recipe(_Model):
    name: str | None
    timezone: str | None
    duration_minutes: int
    steps: tuple[AnyStep, ...]
    source: str = ""

    # -- the phases the agent drives ------------------------------------------------------------------
    def index(self, kind: str) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.kind == kind), None)

    @property
    def person_index(self) -> int | None:
        return next((i for i, s in enumerate(self.steps) if is_person_step(s)), None)

    @property
    def date_index(self) -> int | None:
        return self.index("pick_date")

    @property
    def time_index(self) -> int:
        index = self.index("pick_time")
        assert index is not None  # validated
        return index

    @property
    def submit_index(self) -> int:
        index = self.index("submit")
        assert index is not None  # validated
        return index

    @property
    def calendar_index(self) -> int:
        """Where the calendar starts: pick_date, else pick_time."""
        return self.date_index if self.date_index is not None else self.time_index

    @property
    def confirms(self) -> bool:
        success = [s for s in self.steps if isinstance(s, SuccessStep)]
        return all(s.confirmed for s in success)

    def uses(self, placeholder: str) -> bool:
        return any(isinstance(s, FillStep) and "{" + placeholder + "}" in s.value for s in self.steps)


def is_person_step(step: Step) -> bool:
    return isinstance(step, (SelectStep, ClickStep)) and step.text is not None and PERSON_PLACEHOLDER in step.text


# -- loading ------------------------------------------------------------------------------------------

def load_recipe(source: str | Mapping[str, Any]) -> Recipe:
    """Parse and validate a recipe (YAML text or an already-parsed mapping); RecipeError if invalid."""
    text = source if isinstance(source, str) else ""
    if len(text) > MAX_RECIPE_CHARS:
        raise RecipeError(f"the recipe is {len(text)} characters long; at most {MAX_RECIPE_CHARS} are accepted")
    data = _parse_yaml(source) if isinstance(source, str) else source
    if not isinstance(data, Mapping):
        raise RecipeError("a recipe is a mapping with a 'steps' list (and optional name, timezone, duration_minutes)")
    try:
        header = RecipeHeader.model_validate(dict(data))
    except ValidationError as exc:
        field, problem = _first_error(exc)
        raise RecipeError(problem, field=field) from None
    if not header.steps:
        raise RecipeError("the recipe has no steps", field="steps")
    if len(header.steps) > MAX_STEPS:
        raise RecipeError(f"the recipe has {len(header.steps)} steps; at most {MAX_STEPS} are accepted", field="steps")
    steps = [_load_step(number, raw) for number, raw in enumerate(header.steps, start=1)]
    total_wait = sum(step.timeout or 0 for step in steps)
    if total_wait > MAX_TOTAL_WAIT_SECONDS:
        raise RecipeError(f"the steps' timeouts add up to {total_wait:g} s; at most {MAX_TOTAL_WAIT_SECONDS} s "
                          "(one booking's time budget) are accepted", field="timeout")
    _check_order(steps)
    return Recipe(name=header.name, timezone=header.timezone, duration_minutes=header.duration_minutes,
                  steps=tuple(steps), source=text)  # type: ignore[arg-type]


def _parse_yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise RecipeError("not valid YAML: it is nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "it can't be parsed"
        raise RecipeError(f"not valid YAML{where}: {problem}") from None


def _load_step(number: int, raw: Any) -> Step:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        kinds = ", ".join(STEP_TYPES)
        raise RecipeError(f"each step is one of {kinds} with its fields, e.g. '- click: {{text: Continue}}'", step=number)
    kind, body = next(iter(raw.items()))
    model = STEP_TYPES.get(str(kind))
    if model is None:
        raise RecipeError(f"unknown step {kind!r}; use one of {', '.join(STEP_TYPES)}", step=number)
    if kind == "open" and isinstance(body, str):
        body = {"url": body}
    if kind == "success" and isinstance(body, list):
        body = {"any": body}
    if not isinstance(body, Mapping):
        raise RecipeError(f"the {kind} step needs fields (a mapping), not {type(body).__name__}", step=number, kind=kind)
    try:
        return model.model_validate(dict(body))
    except ValidationError as exc:
        field, problem = _first_error(exc)
        raise RecipeError(problem, step=number, kind=str(kind), field=field) from None


def _first_error(exc: ValidationError) -> tuple[str | None, str]:
    error = exc.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in error["loc"])
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "missing":
        message = "this field is required"
    message = message.removeprefix("Value error, ")
    return loc or None, message


def _check_order(steps: list[Step]) -> None:
    """The rules that make a recipe fit the agent's flow (open → person → calendar → details → submit)."""
    kinds = [s.kind for s in steps]

    def first(kind: str) -> int | None:
        return kinds.index(kind) if kind in kinds else None

    if kinds[0] != "open":
        raise RecipeError("a recipe starts with an open step (e.g. '- open: \"{url}\"')", step=1, kind=kinds[0])
    for index, step in enumerate(steps):
        number = index + 1
        if isinstance(step, OpenStep):
            rest = step.url.replace(URL_PLACEHOLDER, "")
            if "{" in rest or not (step.url.startswith(("http://", "https://")) or step.url.startswith(URL_PLACEHOLDER)):
                raise RecipeError("the URL must be http(s) or start with {url} (the startup's booking page)",
                                  step=number, kind="open", field="url")
        if isinstance(step, (SelectStep, ClickStep, SubmitStep)) and step.text and "{" in step.text.replace(PERSON_PLACEHOLDER, ""):
            raise RecipeError("only {person} can be used here", step=number, kind=step.kind, field="text")
        if isinstance(step, SubmitStep) and step.text and PERSON_PLACEHOLDER in step.text:
            raise RecipeError("{person} can't be used in a submit step", step=number, kind="submit", field="text")
        for seen in ("pick_date", "pick_time"):
            if step.kind == seen and kinds.index(seen) != index:
                raise RecipeError(f"a recipe has at most one {seen} step", step=number, kind=seen)
    persons = [i for i, s in enumerate(steps) if is_person_step(s)]
    if len(persons) > 1:
        raise RecipeError("only one step may choose the {person}", step=persons[1] + 1, kind=steps[persons[1]].kind)
    pick_time = first("pick_time")
    if pick_time is None:
        raise RecipeError("a recipe needs a pick_time step (how to read and click the offered times)", field="steps")
    pick_date = first("pick_date")
    if pick_date is not None and pick_date > pick_time:
        raise RecipeError("pick_date must come before pick_time", step=pick_date + 1, kind="pick_date")
    calendar = pick_date if pick_date is not None else pick_time
    if persons and persons[0] > calendar:
        raise RecipeError("the person is chosen before the calendar (pick_date/pick_time)",
                          step=persons[0] + 1, kind=steps[persons[0]].kind)
    time_step = steps[pick_time]
    assert isinstance(time_step, PickTimeStep)
    if pick_date is None and not format_has_date(time_step.time_from.format):
        raise RecipeError("these times have no date, so a pick_date step must come before this one",
                          step=pick_time + 1, kind="pick_time", field="time_from.format")
    submit = first("submit")
    if submit is None:
        raise RecipeError("a recipe needs a submit step (the click that sends the booking)", field="steps")
    if submit < pick_time:
        raise RecipeError("submit must come after pick_time", step=submit + 1, kind="submit")
    success = [i for i, k in enumerate(kinds) if k == "success" and i > submit]
    if not success:
        raise RecipeError("a recipe needs a success step after the submit (how to tell it worked)", field="steps")
    for index, kind in enumerate(kinds):
        if kind in ("success", "booking_id") and index < submit:
            raise RecipeError(f"{kind} belongs after the submit step", step=index + 1, kind=kind)
        if kind in ("pick_date", "pick_time") and index > submit:
            raise RecipeError(f"{kind} must come before the submit step", step=index + 1, kind=kind)


# -- the original plan's flat config ------------------------------------------------------------------

_CONTAINS = re.compile(r"""^(?P<selector>.*?):contains\((?P<quote>['"]?)(?P<text>.*?)(?P=quote)\)\s*$""")
FLAT_EXTRAS = ("time_format", "time_attribute")  # Booker's additions to the plan's keys
FLAT_DEFAULTS = {
    "time_slots": ".time-slot",
    "name_field": "input[name='name']",
    "email_field": "input[name='email']",
    "message_field": "textarea[name='notes']",
    "submit_button": "button[type='submit']",
}


def _split_contains(selector: str) -> dict[str, str]:
    """jQuery's ``h1:contains('Confirmed')`` (used by the plan) → {selector: h1, text: Confirmed}."""
    match = _CONTAINS.match(selector.strip())
    if not match:
        return {"selector": selector.strip()}
    target = {"text": match.group("text")}
    if match.group("selector").strip():
        target["selector"] = match.group("selector").strip()
    return target


def recipe_from_selectors(selectors: Mapping[str, Any], success_indicators: list[Any] | None = None,
                          timezone: str | None = None) -> Recipe:
    """The original plan's ``StartupBookingConfig.selectors`` as a recipe (as ``configure_startup_booking``
    wrote them): person drop-down or buttons, a slot list whose text is read as a date and time,
    name/e-mail/message fields (the plan's defaults when absent, skipped if not on the page), submit,
    success indicators."""
    chosen = {**FLAT_DEFAULTS, **{k: v for k, v in selectors.items() if v and k not in FLAT_EXTRAS}}
    steps: list[dict[str, Any]] = [{"open": "{url}"}]
    if selectors.get("person_dropdown"):
        steps.append({"select": {"field": chosen["person_dropdown"], "text": "{person}"}})
    elif selectors.get("person_button"):
        steps.append({"click": {"selector": chosen["person_button"], "text": "{person}"}})
    if selectors.get("time_format"):  # the slot's visible text, e.g. "%a %d %b %Y %H:%M"
        time_from = {"text": True, "format": selectors["time_format"]}
    else:  # an ISO timestamp in an attribute (data-time unless time_attribute says otherwise)
        time_from = {"attribute": selectors.get("time_attribute") or "data-time", "format": "iso"}
    steps.append({"pick_time": {"slots": chosen["time_slots"], "time_from": time_from}})
    steps.append({"fill": {"field": chosen["name_field"], "value": "{name}", "optional": "name_field" not in selectors}})
    steps.append({"fill": {"field": chosen["email_field"], "value": "{email}", "optional": "email_field" not in selectors}})
    steps.append({"fill": {"field": chosen["message_field"], "value": "{message}",
                           "optional": "message_field" not in selectors}})
    submit_selectors = [s.strip() for s in str(chosen["submit_button"]).split(",") if s.strip()]
    steps.append({"submit": _split_contains(submit_selectors[0])})
    indicators = [_split_contains(str(i)) for i in (success_indicators or []) if str(i).strip()]
    steps.append({"success": {"any": indicators or [{"text": "confirmed"}]}})
    data: dict[str, Any] = {"name": "converted from selectors", "steps": steps}
    if timezone:
        data["timezone"] = timezone
    return load_recipe(data)


def recipe_for_config(recipe_text: str | None, selectors: Mapping[str, Any] | None,
                      success_indicators: list[Any] | None) -> Recipe | None:
    """A startup config's recipe: its YAML recipe, else its flat selectors converted, else None."""
    if recipe_text and recipe_text.strip():
        return load_recipe(recipe_text)
    if selectors:
        return recipe_from_selectors(selectors, success_indicators)
    return None

