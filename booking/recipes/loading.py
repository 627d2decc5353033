"""Loading a recipe: YAML (or a parsed mapping) in, a validated :class:`~booking.recipes.schema.Recipe` out.

:func:`load_recipe` validates everything it can before a browser starts — unknown steps or fields,
missing fields, wrong types, unknown placeholders, bad regexes, date/time formats, time zones, the
size of the recipe, and the order of the steps — and rejects an invalid recipe with the step number
and the field that is wrong.
"""
from __future__ import annotations

from typing import Any, Mapping

import yaml
from pydantic import ValidationError

from booking.recipes.locators import name_pattern
from booking.recipes.schema import (
    MAX_RECIPE_CHARS, MAX_STEPS, MAX_TOTAL_WAIT_SECONDS, Recipe, RecipeError, RecipeHeader,
)
from booking.recipes.steps import (
    CLOCK_TIMES, PERSON_PLACEHOLDER, STEP_TYPES, URL_PLACEHOLDER, ClickStep, OpenStep, PickDateStep, PickTimeStep,
    SelectStep, Step, SubmitStep, format_has_date, is_person_step,
)


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


def _check_calendar(steps: list[Step], pick_date: int | None, pick_time: int, time_step: PickTimeStep) -> None:
    """CSS days go with CSS times, a pinned date control with clock times (auto's readers belong together)."""
    date_step = steps[pick_date] if pick_date is not None else None
    pinned = isinstance(date_step, PickDateStep) and date_step.control is not None
    if time_step.by_clock and not pinned:
        raise RecipeError("clock_times are the times of a chosen day: a pick_date step with control must come first",
                          step=pick_time + 1, kind="pick_time", field="slots")
    if pinned and not time_step.by_clock:
        raise RecipeError(f"a pick_date with control is followed by pick_time with slots: {CLOCK_TIMES}",
                          step=pick_time + 1, kind="pick_time", field="slots")
    if pick_date is None and time_step.time_from is not None and not format_has_date(time_step.time_from.format):
        raise RecipeError("these times have no date, so a pick_date step must come before this one",
                          step=pick_time + 1, kind="pick_time", field="time_from.format")


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
        for field in ("text", "name"):
            words = getattr(step, field, None) if isinstance(step, (SelectStep, ClickStep, SubmitStep)) else None
            if isinstance(words, str) and name_pattern(words) is None and "{" in words.replace(PERSON_PLACEHOLDER, ""):
                raise RecipeError("only {person} can be used here", step=number, kind=step.kind, field=field)
            if isinstance(step, SubmitStep) and isinstance(words, str) and PERSON_PLACEHOLDER in words:
                raise RecipeError("{person} can't be used in a submit step", step=number, kind="submit", field=field)
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
    _check_calendar(steps, pick_date, pick_time, time_step)
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
