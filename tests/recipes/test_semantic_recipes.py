"""The recipe steps ``auto`` records: semantic targets (role + accessible name, a field's label), the
``frame`` step, and the calendar pinned to auto's readers — validated strictly (errors name the step and
the field), matched like a person reads names, and written by the recorder as YAML that loads again."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from booking.platforms.auto_recipe import CONSENT_NAME, RecipeRecorder
from booking.platforms.base import Invitee
from booking.platforms.custom.locating import name_matches
from booking.recipes.loading import load_recipe
from booking.recipes.schema import RecipeError
from booking.recipes.steps import ClickStep, FillStep, FrameStep, PickDateStep, PickTimeStep, SelectStep

SAVED = """
name: Aurora Ventures
steps:
  - open: '{url}'
  - click: {role: button, name: '/^accept all$/', optional: true}
  - frame: {title: Schedule a meeting with Aurora Ventures}
  - click: {role: button, name: '{person}'}
  - click: {role: button, name: Continue}
  - pick_date: {control: date_list}
  - pick_time: {slots: clock_times, zone: Asia/Dubai, duration_minutes: 45}
  - fill: {label: Name, value: '{name}'}
  - select: {label: Country, text: Finland}
  - fill: {label: 'Anything we should know?', value: '{message}'}
  - click: {role: checkbox, name: I agree to the privacy policy}
  - submit: {role: button, name: Schedule meeting}
  - success:
      any:
        - {role: heading, name: "/you're all set/"}
      slot_taken:
        - {role: alert, name: /no longer available/}
"""


def swap(old: str, new: str) -> str:
    assert old in SAVED
    return SAVED.replace(old, new)


def test_a_semantic_recipe_maps_onto_the_agents_phases():
    recipe = load_recipe(SAVED)
    assert (recipe.person_index, recipe.date_index, recipe.time_index, recipe.submit_index) == (3, 5, 6, 11)
    consent, frame, person = recipe.steps[1:4]
    assert isinstance(consent, ClickStep) and consent.optional and consent.role == "button"
    assert isinstance(frame, FrameStep) and frame.title and not frame.largest
    assert isinstance(person, ClickStep) and person.name == "{person}" and person.selector is None
    date_step, time_step = recipe.steps[5], recipe.steps[6]
    assert isinstance(date_step, PickDateStep) and date_step.control == "date_list" and date_step.days is None
    assert isinstance(time_step, PickTimeStep) and time_step.by_clock and time_step.zone == "Asia/Dubai"
    fill, select = recipe.steps[7], recipe.steps[8]
    assert isinstance(fill, FillStep) and (fill.label, fill.field) == ("Name", None)
    assert isinstance(select, SelectStep) and select.label == "Country"
    assert recipe.uses("message") and recipe.confirms
    assert person.describe() == "click the button '{person}'" and fill.describe() == "fill the field labelled 'Name' with '{name}'"


@pytest.mark.parametrize("text, message", [
    (swap("name: Continue}", "name: '/(Continue/'}"),
     "Recipe step 5 (click), field 'name': not a valid regular expression"),
    (swap("{role: button, name: Continue}", "{name: Continue}"),
     "Recipe step 5 (click): a name goes with a role"),
    (swap("{role: button, name: Continue}", "{role: button, text: Continue}"),
     "Recipe step 5 (click): give either a role (and name), or a selector and/or a text, not both"),
    (swap("{role: button, name: Continue}", "{}"),
     "Recipe step 5 (click): give a selector, a text, or both; or a role and its name"),
    (swap("fill: {label: Name,", "fill: {label: Name, field: 'input',"),
     "Recipe step 8 (fill): name the control by exactly one of: field (CSS), or label"),
    (swap("fill: {label: Name,", "fill: {"),
     "Recipe step 8 (fill), field 'field': this field is required"),
    (swap("frame: {title: Schedule a meeting with Aurora Ventures}", "frame: {}"),
     "Recipe step 3 (frame): name the frame in exactly one way: largest: true, or title"),
    (swap("{control: date_list}", "{control: calendar}"),
     "Recipe step 6 (pick_date), field 'control': Input should be 'day_grid', 'week_grid', 'date_field', 'date_list'"),
    (swap("{control: date_list}", "{control: date_list, days: td}"),
     "Recipe step 6 (pick_date): with control, give no CSS"),
    (swap("{control: date_list}", "{days: td}"),
     "Recipe step 6 (pick_date): give days and date_from (CSS), or control: one of day_grid, week_grid"),
    (swap("{slots: clock_times, zone: Asia/Dubai,", "{slots: clock_times, zone: Asia/Dubia,"),
     "Recipe step 7 (pick_time), field 'zone': unknown time zone 'Asia/Dubia'"),
    (swap("{slots: clock_times, zone: Asia/Dubai,", "{slots: clock_times, time_from: {text: true},"),
     "Recipe step 7 (pick_time): clock_times are read by their names: give no time_from"),
    (swap("{slots: clock_times, zone: Asia/Dubai,", "{slots: li, zone: Asia/Dubai, time_from: {text: true},"),
     "Recipe step 7 (pick_time): zone goes with slots: clock_times"),
    (swap("{slots: clock_times, zone: Asia/Dubai,", "{slots: li,"),
     "Recipe step 7 (pick_time): give time_from for the CSS slots, or slots: clock_times"),
    (swap("  - pick_date: {control: date_list}\n", ""),
     "Recipe step 6 (pick_time), field 'slots': clock_times are the times of a chosen day"),
    (swap("{slots: clock_times, zone: Asia/Dubai,", "{slots: li, time_from: {text: true, format: iso},"),
     "Recipe step 7 (pick_time), field 'slots': a pick_date with control is followed by pick_time with slots: clock_times"),
    (swap("submit: {role: button, name: Schedule meeting}", "submit: {role: button, name: 'Meet {person}'}"),
     "Recipe step 12 (submit), field 'name': {person} can't be used in a submit step"),
    (swap("{role: button, name: Continue}", "{role: button, name: 'Hi {email}'}"),
     "Recipe step 5 (click), field 'name': only {person} can be used here"),
    (swap("frame: {title: Schedule a meeting with Aurora Ventures}", "frame: {largest: true, colour: red}"),
     "Recipe step 3 (frame), field 'colour': unknown field"),
])
def test_semantic_steps_are_validated_naming_the_step_and_the_field(text, message):
    with pytest.raises(RecipeError) as error:
        load_recipe(text)
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.parametrize("wanted, words, person, expected", [
    ("Continue", "continue", None, True),                     # whole, case-insensitive
    ("Continue", "Continue  ", None, True),                   # whitespace-tolerant
    ("Continue", "Continue to details", None, False),         # whole, not a part
    ("/^continue/", "Continue to details", None, True),       # a /regex/, case-insensitive
    ("/you're all set/", "You're all set! See you on Tuesday", None, True),
    ("{person}", "Book with Ben Koski", "Ben Koski", True),   # the person: the name inside the words
    ("{person}", "Book with Anna Virtanen", "Ben Koski", False),
    ("{person}", "Anna Virtanen", None, True),                # listing who is offered: any named element
    ("{person}", "   ", None, False),
    (None, "anything", None, True),                           # a role alone
])
def test_names_are_matched_as_a_person_reads_them(wanted, words, person, expected):
    assert name_matches(wanted, words, person) is expected


def test_the_recorders_yaml_loads_as_a_recipe_with_the_consent_before_the_frame():
    recorder = RecipeRecorder()
    recorder.opened()
    recorder.frame("Scheduler")
    recorder.click("button", "Continue")
    recorder.consent()  # seen on the top page only after stepping into the frame: accepted before it
    recorder.calendar("day_grid", "Europe/Berlin", timedelta(minutes=30))
    recorder.click("button", "Next")
    recorder.calendar("day_grid", "Europe/Berlin", timedelta(minutes=45))  # another slot: the calendar again
    recorder.submit("Book {now}", again=False)
    recorder.success("Booking confirmed for Tue 8 Dec", confirmed=True)
    recipe = load_recipe(recorder.to_yaml("Clinic"))
    assert [s.kind for s in recipe.steps] == ["open", "click", "frame", "click", "pick_date", "pick_time", "submit",
                                              "success"]
    assert recipe.steps[1].name == CONSENT_NAME and recipe.steps[1].optional
    assert recipe.steps[5].duration_minutes == 45
    assert recipe.steps[6].name == r"/^book \{now\}$/"  # braces are the page's words, not placeholders
    assert name_matches(recipe.steps[6].name, "Book {now}") and not name_matches(recipe.steps[6].name, "Book now")
    [heading, *_] = recipe.steps[7].any
    assert heading.role == "heading" and name_matches(heading.name, "Booking confirmed for Wed 9 Dec")


def test_values_become_placeholders_and_a_field_another_teammate_may_lack_is_optional():
    class Field:
        def __init__(self, label: str, value: str, required: bool, element: str) -> None:
            self.label, self.value, self.required, self.element = label, value, required, element
            self.role, self.tag, self.disabled, self.checked = "textbox", "input", False, False

    invitee = Invitee(name="Ana Lima", email="ana@axa.example", timezone="UTC", company="AXA", role=None)
    before = [Field(x, "", x == "Email", x) for x in ("Name", "Email", "Company", "Notes", "Code")]
    after = [Field("Name", "Ana Lima", False, "Name"), Field("Email", "ana@axa.example", True, "Email"),
             Field("Company", "AXA", False, "Company"), Field("Notes", "Hello!", False, "Notes"),
             Field("Code", "{x}", False, "Code")]
    recorder = RecipeRecorder()
    recorder.form(before, after, invitee, "Hello!")  # type: ignore[arg-type]
    assert recorder.steps == [
        {"fill": {"label": "Name", "value": "{name}"}}, {"fill": {"label": "Email", "value": "{email}"}},
        {"fill": {"label": "Company", "value": "{company}", "optional": True}},
        {"fill": {"label": "Notes", "value": "{message}"}}, {"fill": {"label": "Code", "value": "{{x}}"}}]


def test_the_readmes_saved_recipe_is_a_valid_recipe_of_semantic_steps():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("**A recipe from a run.**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    recipe = load_recipe(example)
    assert [s.kind for s in recipe.steps][:5] == ["open", "click", "frame", "click", "pick_date"]
    assert recipe.person_index == 3 and recipe.steps[recipe.time_index].by_clock
    assert not any(getattr(s, "selector", None) or getattr(s, "field", None) for s in recipe.steps)
