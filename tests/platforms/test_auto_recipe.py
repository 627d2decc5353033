"""A recipe from a run: ``try URL --dry-run --save-recipe`` lets ``auto`` read a page written blind, stops
before anything is sent, and writes down what it did; that recipe then books the same page through the
``custom`` platform (no discovery), with a configured person, at the time Booker believes.
"""
from __future__ import annotations

import io
from datetime import datetime
from typing import Iterator

import pytest
import yaml

from booking.cli.commands import try_command
from booking.cli.parser import build_parser
from booking.domain.states import BookingStatus
from booking.platforms.custom.platform import CustomRecipe
from booking.recipes.loading import load_recipe
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.blind.anypage import Page1, Page2, Page3, Page4
from replicas.world import seed_directory

pytestmark = pytest.mark.browser

PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
PAGES = {"clinic": Page1, "weekly": Page2, "ownform": Page3, "framed": Page4}


@pytest.fixture
def recipe_service(db, settings, browsers, clock) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock)
    runner.shutdown()


def try_it(argv: list[str], settings, clock, browsers) -> tuple[int, str]:
    out = io.StringIO()
    args = build_parser().parse_args(["try", *argv, "--name", "Eduardo Paz",
                                      "--email", "eduardo.paz@axa-innovation.example", "--timezone", "Europe/Helsinki"])
    code = try_command(args, settings, out, clock=clock, browsers=browsers)
    return code, out.getvalue()


@pytest.mark.parametrize("page", list(PAGES))
def test_a_recipe_saved_from_a_dry_run_books_the_page_through_custom(page, recipe_service, db, settings, browsers,
                                                                     clock, teammate, tmp_path):
    saved = tmp_path / f"{page}.yaml"
    with PAGES[page](now=clock, people=PEOPLE) as site:
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                             "people": [{"name": "Ben Koski"}]}])
        code, said = try_it(["blind", "--dry-run", "--save-recipe", str(saved)], settings, clock, browsers)
        assert code == 0, said
        assert "Dry run: stopped before the button" in said and f"to {saved}" in said, said
        assert site.bookings == []  # the dry run sent nothing

        text = saved.read_text(encoding="utf-8")
        recipe = load_recipe(text)
        kinds = [s.kind for s in recipe.steps]
        assert kinds[0] == "open" and "pick_date" in kinds and "pick_time" in kinds and "submit" in kinds, text
        assert recipe.person_index is not None and recipe.steps[recipe.date_index].control is not None, text
        assert recipe.uses("email") and recipe.uses("name") or recipe.uses("first_name"), text
        assert not any(getattr(s, "selector", None) or getattr(s, "field", None) for s in recipe.steps), text

        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "custom",
                             "booking_url": site.booking_url, "people": [{"name": "Ben Koski"}], "recipe": text}])
        view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, startup="blind"))
        assert view.platform == "custom"
        recipe_service.start(view.id)
        assert recipe_service.runner.wait_idle(240)
        final = recipe_service.get(view.id)
        assert final.status in (BookingStatus.PENDING_CONFIRMATION, BookingStatus.CONFIRMED,
                                BookingStatus.ADDED_TO_CALENDAR), final.error_message
        [recorded] = site.bookings
        assert recorded["email"] == teammate.email and recorded["person"] == "Ben Koski"
        assert datetime.fromisoformat(recorded["start"]) == final.proposed_slots[0]


def test_a_semantic_locator_that_matches_nothing_names_the_step(recipe_service, db, clock, teammate, tmp_path):
    with Page3(now=clock, people=PEOPLE) as site:
        recipe = yaml.safe_dump({"name": "wrong", "steps": [
            {"open": "{url}"}, {"click": {"role": "button", "name": "Open the calendar", "timeout": 2}},
            {"pick_date": {"control": "date_field"}}, {"pick_time": {"slots": "clock_times"}},
            {"submit": {"role": "button", "name": "/book/"}}, {"success": [{"role": "heading", "name": "/booked/"}]}]})
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "custom",
                             "booking_url": site.booking_url, "recipe": recipe}])
        view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, startup="blind"))
        recipe_service.start(view.id)
        assert recipe_service.runner.wait_idle(120)
        final = recipe_service.get(view.id)
        assert final.status == BookingStatus.FAILED and site.bookings == []
        assert "step 2 (click): the button 'Open the calendar'" in final.error_message, final.error_message
        assert "\n" not in final.error_message and "Traceback" not in final.error_message


def test_a_recipe_saved_after_a_real_booking_names_the_pages_own_words_and_books_again(
        recipe_service, db, settings, browsers, clock, teammate, tmp_path):
    saved = tmp_path / "clinic.yaml"
    with Page1(now=clock, people=PEOPLE) as site:
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                             "people": [{"name": "Ben Koski"}]}])
        out = io.StringIO()
        args = build_parser().parse_args(["try", "blind", "--save-recipe", str(saved), "--name", "Eduardo Paz",
                                          "--email", "eduardo.paz@axa-innovation.example"])
        assert try_command(args, settings, out, clock=clock, browsers=browsers, mailbox=None) == 0, out.getvalue()
        assert len(site.bookings) == 1 and "Booked " in out.getvalue()

        recipe = load_recipe(saved.read_text(encoding="utf-8"))
        success = recipe.steps[-1]
        assert [(i.role, i.name) for i in success.any] == [("heading", "/booking confirmed/")]  # where the page said it
        assert [(i.role, i.name) for i in success.failure] == [("alert", None)]

        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "custom",
                             "booking_url": site.booking_url, "people": [{"name": "Ben Koski"}],
                             "recipe": saved.read_text(encoding="utf-8")}])
        view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, startup="blind"))
        recipe_service.start(view.id)
        assert recipe_service.runner.wait_idle(240)
        final = recipe_service.get(view.id)
        assert final.status in (BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR), final.error_message
        assert len(site.bookings) == 2 and site.bookings[1]["person"] == "Ben Koski"
        assert datetime.fromisoformat(site.bookings[1]["start"]) == final.proposed_slots[0]


@pytest.mark.parametrize("page", ["clinic", "weekly"])  # pages that say so in an alert (the others: README, Recipes)
def test_a_slot_taken_at_submit_books_the_alternative_on_the_saved_recipe(page, recipe_service, db, settings, browsers,
                                                                        clock, teammate, tmp_path, monkeypatch):
    saved = tmp_path / f"{page}.yaml"
    with PAGES[page](now=clock, people=PEOPLE) as site:
        entry = {"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                 "people": [{"name": "Ben Koski"}]}
        seed_directory(db, [entry])
        code, said = try_it(["blind", "--dry-run", "--save-recipe", str(saved)], settings, clock, browsers)
        assert code == 0, said
        seed_directory(db, [{**entry, "platform": "custom", "recipe": saved.read_text(encoding="utf-8")}])

        chosen = []
        choose_slot, fill_details = CustomRecipe.choose_slot, CustomRecipe.fill_details

        def remember(platform, slot):  # type: ignore[no-untyped-def]
            chosen.append(slot)
            return choose_slot(platform, slot)

        def someone_else_books_it_first(platform, invitee, message):  # type: ignore[no-untyped-def]
            if len(chosen) == 1:  # while Booker fills the form, the first pick goes to someone else
                assert site.record("Ben Koski", chosen[0].start, {"email": "other@example.org"}) is None
            return fill_details(platform, invitee, message)

        monkeypatch.setattr(CustomRecipe, "choose_slot", remember)
        monkeypatch.setattr(CustomRecipe, "fill_details", someone_else_books_it_first)
        view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, startup="blind"))
        recipe_service.start(view.id)
        assert recipe_service.runner.wait_idle(240)
        final = recipe_service.get(view.id)
        assert final.status in (BookingStatus.PENDING_CONFIRMATION, BookingStatus.CONFIRMED,
                                BookingStatus.ADDED_TO_CALENDAR), final.error_message
        assert len(chosen) == 2 and chosen[1].start != chosen[0].start
        mine = [b for b in site.bookings if b["email"] == teammate.email]
        assert [datetime.fromisoformat(b["start"]) for b in mine] == [chosen[1].start]
