"""Recipe validation (every error names the step and the field), the flat-selector conversion,
slot-time parsing, and the e-mailed-code reader on a fake clock."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.mail.mailbox import CodeNotReceived, CodeReader, InMemoryMailbox, MailMessage, MailQuery, clock_waiter
from booking.platforms.custom.reading import parse_slot_time
from booking.recipes.legacy import recipe_from_selectors
from booking.recipes.loading import load_recipe
from booking.recipes.schema import RecipeError
from replicas.studio import STUDIO_RECIPE

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def test_the_bundled_studio_recipe_is_valid_and_maps_onto_the_agents_phases():
    recipe = load_recipe(STUDIO_RECIPE)
    assert (recipe.person_index, recipe.date_index, recipe.time_index, recipe.submit_index) == (1, 3, 5, 13)
    assert recipe.timezone == "Europe/Stockholm" and recipe.duration_minutes == 45 and recipe.confirms


def swap(old: str, new: str) -> str:
    assert old in STUDIO_RECIPE
    return STUDIO_RECIPE.replace(old, new)


@pytest.mark.parametrize("text, message", [
    (swap('value: "{phone}"', 'value: "{mobile}"'),
     "Recipe step 11 (fill), field 'value': unknown placeholder {mobile}; use one of {name}, {first_name}"),
    (swap("  - wait: {network_idle: true}    # the month", "  - wait: {network_idle: true, selector: x}    #"),
     "Recipe step 3 (wait): wait for exactly one thing: selector, text, or network_idle: true"),
    (swap('format: "%d.%m.%Y"', 'format: "%d.%m"'),
     "Recipe step 4 (pick_date): date_from.format has no month and year, so month_title {selector, format} is needed"),
    (swap('format: "%Y-%m-%d %H:%M"}', 'format: "%Y-%m-%d"}'),
     "Recipe step 6 (pick_time), field 'time_from.format': '%Y-%m-%d' has no hour"),
    (swap("time_from: {attribute: data-begins,", "time_from: {attribute: data-begins, zone: Europe/Stokholm,"),
     "Recipe step 6 (pick_time), field 'time_from.zone': unknown time zone 'Europe/Stokholm'"),
    (swap('pattern: "verification code is (\\\\d{6})"', 'pattern: "code is (\\\\d{6}"'),
     "Recipe step 15 (enter_code), field 'pattern': not a valid regular expression"),
    (swap("mail: {from: no-reply@nordlys.example, subject: verification code}", "mail: {}"),
     "Recipe step 15 (enter_code), field 'mail': match the mail by from, subject, or both"),
    (swap('  - click: {text: "Continue ›"}', '  - clik: {text: "Continue ›"}'),
     "Recipe step 7: unknown step 'clik'; use one of open, click, select"),
    (swap('  - click: {text: "Continue ›"}', '  - click: {text: "Continue ›", colour: blue}'),
     "Recipe step 7 (click), field 'colour': unknown field"),
    (swap('  - click: {text: "Continue ›"}', '  - click: {}'),
     "Recipe step 7 (click): give a selector, a text, or both"),
    (swap('  - select: {field: "select#staff", text: "{person}"}', '  - select: {field: "select#staff"}'),
     "Recipe step 2 (select): choose the option in exactly one way: text, value, or first_real: true"),
    (swap('  - fill: {field: "input[name=tel]", value: "{phone}"}', '  - fill: {value: "{phone}"}'),
     "Recipe step 11 (fill), field 'field': this field is required"),
    (swap('  - fill: {field: "input[name=tel]", value: "{phone}"}', '  - fill: "{phone}"'),
     "Recipe step 11 (fill): the fill step needs fields (a mapping), not str"),
    (swap('  - open: "{url}"', '  - open: "file:///etc/passwd"'),
     "Recipe step 1 (open), field 'url': the URL must be http(s) or start with {url}"),
    (swap('  - submit: {text: "Send verification code"}', '  - click: {text: "Send verification code"}'),
     "Recipe, field 'steps': a recipe needs a submit step"),
    (swap('  - booking_id: {selector: "#booking-ref"}', '  - pick_time: {slots: a, time_from: {text: true}}'),
     "Recipe step 18 (pick_time): a recipe has at most one pick_time step"),
    (swap("timezone: Europe/Stockholm", "timezone: 7"), "Recipe, field 'timezone': Input should be a valid string"),
    (swap("duration_minutes: 45", "duration_minutes: -5"), "Recipe, field 'duration_minutes': Input should be greater than 0"),
    (swap("steps:", "stepz:"), "Recipe, field 'steps': this field is required"),
    ("steps: [{click: {text: Go}}]", "Recipe step 1 (click): a recipe starts with an open step"),
    ("- just\n- a list", "Recipe: a recipe is a mapping with a 'steps' list"),
    ("steps: [\n  {open: x", "Recipe: not valid YAML at line 2"),
])
def test_invalid_recipes_are_rejected_naming_the_step_and_the_field(text, message):
    with pytest.raises(RecipeError) as error:
        load_recipe(text)
    assert str(error.value).startswith(message), str(error.value)


def test_person_and_calendar_order_is_checked():
    moved = STUDIO_RECIPE.replace('  - select: {field: "select#staff", text: "{person}"}\n', "").replace(
        '  - click: {text: "Continue ›"}', '  - select: {field: "select#staff", text: "{person}"}')
    with pytest.raises(RecipeError, match=r"step 6 \(select\): the person is chosen before the calendar"):
        load_recipe(moved)


def test_times_without_a_date_need_a_pick_date_step():
    text = ("steps:\n  - open: '{url}'\n  - pick_time: {slots: li, time_from: {text: true}}\n"
            "  - submit: {text: Book}\n  - success: [.ok]\n")
    with pytest.raises(RecipeError, match=r"step 2 \(pick_time\), field 'time_from.format': these times have no date"):
        load_recipe(text)


def test_the_plans_flat_selectors_become_a_recipe():
    recipe = recipe_from_selectors(
        {"person_button": ".team-member-button", "time_slots": ".time-slot-button", "name_field": "input[name='name']",
         "email_field": "input[name='email']", "message_field": "textarea[name='notes']",
         "submit_button": "button[type='submit']"},
        [".confirmation-message", ".success-banner", "h1:contains('Confirmed')"])
    kinds = [s.kind for s in recipe.steps]
    assert kinds == ["open", "click", "pick_time", "fill", "fill", "fill", "submit", "success"]
    person = recipe.steps[1]
    assert (person.selector, person.text) == (".team-member-button", "{person}")
    assert recipe.steps[2].time_from.attribute == "data-time" and recipe.steps[2].time_from.format == "iso"
    indicators = [(i.selector, i.text) for i in recipe.steps[-1].any]
    assert indicators == [(".confirmation-message", None), (".success-banner", None), ("h1", "Confirmed")]
    assert [s.optional for s in recipe.steps[3:6]] == [False, False, False]


def test_flat_config_defaults_follow_the_plan_and_are_optional():
    recipe = recipe_from_selectors({"person_dropdown": "#person-select", "time_format": "%d/%m/%Y %H:%M"}, [])
    assert recipe.steps[1].kind == "select" and recipe.steps[1].text == "{person}"
    assert recipe.steps[2].slots == ".time-slot" and recipe.steps[2].time_from.text
    assert [(s.field, s.optional) for s in recipe.steps[3:6]] == [
        ("input[name='name']", True), ("input[name='email']", True), ("textarea[name='notes']", True)]
    assert (recipe.steps[6].selector, recipe.steps[7].any[0].text) == ("button[type='submit']", "confirmed")


@pytest.mark.parametrize("text, fmt, day, expected", [
    ("2026-12-02T09:00:00Z", "iso", None, datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)),
    ("2026-12-02T10:00", "iso", None, datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))),
    ("1796202000", "unix", None, datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)),
    ("1796202000000", "unix", None, datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)),
    ("4:30pm", "clock", date(2026, 12, 2), datetime(2026, 12, 2, 16, 30, tzinfo=ZoneInfo("Europe/Stockholm"))),
    ("Book 09:15 (2 left)", "clock", date(2026, 12, 2), datetime(2026, 12, 2, 9, 15, tzinfo=ZoneInfo("Europe/Stockholm"))),
    ("14.45", "%H.%M", date(2026, 12, 3), datetime(2026, 12, 3, 14, 45, tzinfo=ZoneInfo("Europe/Stockholm"))),
    ("03/12/2026 08:00 +0000", "%d/%m/%Y %H:%M %z", None, datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)),
])
def test_slot_times_are_read_in_every_supported_format(text, fmt, day, expected):
    assert parse_slot_time(text, fmt, "Europe/Stockholm", day) == expected


class _Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, step: timedelta) -> None:
        self.now += step


def test_code_reader_waits_on_the_clock_for_the_newest_matching_mail():
    clock, mailbox = _Clock(), InMemoryMailbox()
    mailbox.deliver(MailMessage("no-reply@nordlys.example", "ana@axa.example", "Your verification code",
                                "Your verification code is 111111", NOW - timedelta(hours=1)))  # too old

    def waiting(condition, timeout, what):  # the code mail arrives 3 s into the wait
        def polled():
            value = condition()
            if not value and clock() - NOW >= timedelta(seconds=3) and len(mailbox.all) == 1:
                mailbox.deliver(MailMessage("Nordlys <no-reply@nordlys.example>", "Ana <ana@axa.example>",
                                            "Your verification code", "Your verification code is 482913.", clock()))
            return value
        return clock_waiter(clock, clock.advance)(polled, timeout, what)

    reader = CodeReader(mailbox, waiting)
    query = MailQuery(to="ana@axa.example", after=NOW, sender="no-reply@nordlys.example", subject="verification code")
    assert reader.wait_for_code(query, r"code is (\d{6})", timeout=60) == "482913"
    assert clock() - NOW < timedelta(seconds=10)  # found as soon as it arrived, not at the timeout


def test_code_reader_says_whether_the_mail_never_came_or_had_no_code():
    clock, mailbox = _Clock(), InMemoryMailbox()
    reader = CodeReader(mailbox, clock_waiter(clock, clock.advance, timedelta(seconds=10)))
    query = MailQuery(to="ana@axa.example", after=NOW, sender="nordlys")
    with pytest.raises(CodeNotReceived, match="No e-mail from nordlys arrived within 120 s"):
        reader.wait_for_code(query, r"(\d{6})", timeout=120)
    assert clock() == NOW + timedelta(seconds=120)
    mailbox.deliver(MailMessage("nordlys", "ana@axa.example", "Welcome", "no digits here", clock()))
    with pytest.raises(CodeNotReceived, match="arrived \\('Welcome'\\) but no code matched"):
        reader.wait_for_code(query, r"(\d{6})", timeout=30)


def test_the_readme_example_is_a_valid_recipe():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    recipe = load_recipe(example)
    assert recipe == load_recipe(STUDIO_RECIPE).model_copy(update={"source": example})
