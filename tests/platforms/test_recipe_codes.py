"""A recipe learns the e-mailed code: ``try --save-recipe`` (a real run, not a dry one) on a page that e-mails a
PIN after "Book" writes an ``enter_code`` step — the field by its label, the code's own button by role and name —
and that recipe books the same page again through ``custom``, reading the fresh PIN from the job's mailbox.
A bad ``enter_code`` step is refused before a browser starts, in one line naming the step.
"""
from __future__ import annotations

import io
from datetime import datetime
from typing import Iterator

import pytest

from booking.cli.commands import try_command
from booking.cli.parser import build_parser
from booking.domain.states import BookingStatus
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.recipes.loading import load_recipe
from booking.recipes.schema import RecipeError
from booking.recipes.steps import EnterCodeStep
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.world import seed_directory
from tests.platforms.test_google_appointments import SCHEDULE, hel, mail_into, schedule, site_of

TRIED_BY = "maria.lind@axa-innovation.example"


@pytest.fixture
def mailbox() -> InMemoryMailbox:
    return InMemoryMailbox()


@pytest.fixture
def code_service(db, settings, browsers, clock, mailbox) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, mailbox=mailbox)
    runner.shutdown()


def try_saving(target: str, saved, settings, clock, browsers, mailbox) -> tuple[int, str]:
    out = io.StringIO()
    args = build_parser().parse_args(["try", target, "--save-recipe", str(saved), "--name", "Maria Lind",
                                      "--email", TRIED_BY, "--timezone", "Europe/Helsinki"])
    code = try_command(args, settings, out, clock=clock, browsers=browsers, mailbox=mailbox)
    return code, out.getvalue()


@pytest.mark.browser
def test_a_recipe_saved_from_a_real_try_enters_the_emailed_code_and_books_again_through_custom(
        code_service, db, settings, browsers, clock, teammate, mailbox, build, tmp_path):
    saved = tmp_path / "pin.yaml"
    with site_of(build, [schedule(require_email_verification=True)], now=clock, mail_sink=mail_into(mailbox)) as site:
        seed_directory(db, [{"name": "Verify Co", "aliases": ["verify"], "platform": "",
                             "booking_url": site.booking_url(SCHEDULE), "people": []}])
        code, said = try_saving("verify", saved, settings, clock, browsers, mailbox)
        assert code == 0, said
        assert f"to {saved}" in said, said
        [tried] = site.bookings  # the page booked only once auto typed the PIN it e-mailed
        assert tried["email"] == TRIED_BY

        text = saved.read_text(encoding="utf-8")
        recipe = load_recipe(text)
        kinds = [s.kind for s in recipe.steps]
        assert "enter_code" in kinds and recipe.submit_index < kinds.index("enter_code") < kinds.index("success"), text
        enter = recipe.steps[kinds.index("enter_code")]
        assert isinstance(enter, EnterCodeStep)
        assert enter.label and enter.field is None, text  # the field as a person reads it, no CSS
        assert enter.press is not None and enter.press.role == "button" and enter.press.name == "Submit", text

        mailbox.deliver(MailMessage("noreply@example.com", teammate.email, "Your code",
                                    "Your PIN is 999111.", clock()))  # an older code: never typed
        seed_directory(db, [{"name": "Verify Co", "aliases": ["verify"], "platform": "custom",
                             "booking_url": site.booking_url(SCHEDULE), "people": [], "recipe": text}])
        view = code_service.request_booking(BookingRequestInput(teammate=teammate, startup="verify"))
        assert view.platform == "custom"
        code_service.start(view.id)
        assert code_service.runner.wait_idle(240)
        final = code_service.get(view.id)
        assert final.status in (BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR), final.error_message
        assert len(site.bookings) == 2, site.bookings
        recorded = site.bookings[1]
    assert recorded["email"] == teammate.email
    assert datetime.fromisoformat(recorded["start"]) == final.proposed_slots[0] != hel(2, 10)  # 10:00 went to the try
    steps = [e.detail for e in code_service.events(final.id) if e.kind == "step"]
    pins = [m for m in mailbox.all if m.to == teammate.email and "PIN" in m.body and "999111" not in m.body]
    assert pins, f"the page e-mailed {teammate.email} no PIN, so none was typed: {steps}"


GOOD = """
steps:
  - open: "{url}"
  - pick_date: {control: day_grid}
  - pick_time: {slots: clock_times}
  - fill: {label: Email, value: "{email}"}
  - submit: {role: button, name: Book}
  - enter_code: {label: PIN, press: {role: button, name: Submit}}
  - success: [{role: status, name: /booked/}]
"""


def test_an_enter_code_step_by_label_with_its_button_loads_and_old_css_ones_still_do():
    step = load_recipe(GOOD).steps[5]
    assert isinstance(step, EnterCodeStep)
    assert (step.label, step.field, step.mail) == ("PIN", None, None)
    assert step.press is not None and (step.press.role, step.press.name) == ("button", "Submit")
    old = GOOD.replace("{label: PIN, press: {role: button, name: Submit}}",
                       "{mail: {from: no-reply@example.com}, field: \"input#code\"}")
    step = load_recipe(old).steps[5]
    assert isinstance(step, EnterCodeStep) and (step.field, step.label, step.press) == ("input#code", None, None)
    assert step.mail is not None and step.mail.sender == "no-reply@example.com"


@pytest.mark.parametrize("body, message", [
    ("{press: {role: button, name: Submit}}", "Recipe step 6 (enter_code), field 'field': this field is required"),
    ("{label: PIN, field: \"input#code\"}",
     "Recipe step 6 (enter_code): name the control by exactly one of: field (CSS), or label"),
    ("{label: \"/pin(/\"}", "Recipe step 6 (enter_code), field 'label': not a valid regular expression"),
    ("{label: PIN, press: {name: Submit}}",
     "Recipe step 6 (enter_code), field 'press': a name goes with a role"),
    ("{label: PIN, press: {role: button, name: \"/(/\"}}",
     "Recipe step 6 (enter_code), field 'press.name': not a valid regular expression"),
    ("{label: PIN, button: Submit}", "Recipe step 6 (enter_code), field 'button': unknown field"),
    ("{label: PIN, pattern: \"(\\\\d{6}\"}", "Recipe step 6 (enter_code), field 'pattern': not a valid regular"),
])
def test_a_bad_enter_code_step_is_refused_in_one_line_naming_the_step(body, message):
    bad = GOOD.replace("{label: PIN, press: {role: button, name: Submit}}", body)
    with pytest.raises(RecipeError) as refused:
        load_recipe(bad)
    assert str(refused.value).startswith(message), str(refused.value)
    assert "\n" not in str(refused.value)
