"""Recipes: a declarative, validated description of how to book on a page no platform module knows.

A teammate writes one in YAML by looking at the page (README "Recipes" has the full format and an
example); ``python -m booking try`` runs it step by step. A :class:`Recipe` is its steps
(:mod:`booking.recipes.steps`) plus where the agent's phases start among them;
:func:`booking.recipes.loading.load_recipe` builds one, rejecting an invalid recipe with the step
number and the field that is wrong.

Steps run in order; the custom platform (:mod:`booking.platforms.custom`) maps them onto the
agent's flow so the calendar matching still applies: steps before the person/calendar steps open
the page, a ``select``/``click`` whose text is ``{person}`` chooses the person, ``pick_date`` +
``pick_time`` describe the calendar the agent scans, the steps between ``pick_time`` and the first
``submit`` fill the details, and the first ``submit`` starts the sending phase (``try --dry-run``
stops before it).
"""
from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from booking.domain.errors import BookingError
from booking.recipes.steps import AnyStep, FillStep, RecipeModel, SuccessStep, is_person_step, zone_or_page

# A real recipe is a few kB and a few dozen steps; far more is a mistake or an attack on the parser.
MAX_RECIPE_CHARS = 100_000
MAX_STEPS = 60
# The steps' own timeouts together: no job may run longer (BOOKER_JOB_BUDGET_SECONDS is at most this),
# so a recipe whose waits add up to more could never finish. At run time each wait is also cut to what
# is left of the job's budget (booking/store/liveness.py).
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


class RecipeHeader(RecipeModel):
    name: str | None = None
    timezone: str | None = None                 # zone of times read from the page (default: the browser's)
    duration_minutes: int = Field(default=30, gt=0, le=600)
    steps: list[Any]

    @field_validator("timezone")
    @classmethod
    def check_zone(cls, value: str | None) -> str | None:
        return zone_or_page(value)


class Recipe(RecipeModel):
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
