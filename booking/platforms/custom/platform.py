"""Custom booking pages, driven by a recipe (:mod:`booking.recipes`).

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

Running the steps is :mod:`.steps`, reading the calendar :mod:`.calendar`; this class maps them onto
the agent's phases.
"""
from __future__ import annotations

from booking.domain.errors import BookingError
from booking.platforms.base import Invitee, Person, PlatformContext, SubmitResult
from booking.platforms.custom.calendar import RecipeCalendar
from booking.platforms.custom.locating import plain, role_hits, words_of
from booking.platforms.custom.reading import same_name, values_for
from booking.platforms.custom.scripts import FIND_JS
from booking.recipes.steps import ClickStep, SelectStep


class CustomRecipe(RecipeCalendar):
    name = "custom"
    label = "custom booking"
    url_patterns = ()            # never detected: a startup's recipe chooses it
    confirms_on_submit = True    # the recipe's success step says whether it really confirmed
    books_by_recipe = True       # the job's context carries the startup's recipe

    def configure(self, context: PlatformContext) -> None:
        super().configure(context)
        if context.recipe is None:
            raise BookingError("This startup's page needs a recipe and none is configured; an admin adds one "
                               "(see README, Recipes) and tests it with `python -m booking try`")
        self.recipe = context.recipe
        if context.invitee is not None:
            self.values = values_for(context.invitee, "")

    # -- the agent's phases (iter_slots and choose_slot are the calendar's) ---------------------------
    def open(self, url: str) -> None:
        assert self.recipe is not None, "configure() first"
        self.booking_url = url
        self.pinned = None  # a fresh page: auto's readers start over
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
        if step.role:  # every shown element of the role: the agent keeps those naming a configured person
            role_name, what = step.role, self._what(index, f"the people (each a {step.role})")
            hits = self.page.wait_for(lambda _d: role_hits(self.page, role_name, step.name) or False, what,
                                      self._timeout(step))
            return [words_of(f) for f in hits]
        self._find(step.selector, None, self._what(index, f"the people ({step.selector})"), self._timeout(step))
        elements = self.page.driver.execute_script(FIND_JS, step.selector, None, True)
        return [e.text.strip() for e in elements if e.text.strip()]

    def choose_person(self, person: Person) -> bool:
        assert self.recipe is not None
        index = self.recipe.person_index
        if index is None:
            return False
        step = self.steps[index]
        by_role = isinstance(step, ClickStep) and step.role is not None
        if not any(same_name(person.name, offered) or (by_role and plain(person.name) in plain(offered))
                   for offered in self.people()):
            return False
        self.person = person.name
        self._run(index, self.recipe.calendar_index)
        return True

    def fill_details(self, invitee: Invitee, message: str) -> None:
        assert self.recipe is not None
        self.values = values_for(invitee, message)
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
