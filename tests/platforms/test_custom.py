"""Custom pages booked from recipes: the Nordlys Studio replica (server-rendered, multi-page, AJAX
calendar, required phone, e-mailed code), the plan's flat selectors, and ``python -m booking try``."""
from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.runtime.runner import JobRunner
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from replicas.studio import STUDIO_RECIPE, build_studio

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PHONE = "+358 40 123 4567"


def mail_into(mailbox: InMemoryMailbox):
    return lambda sent: mailbox.deliver(MailMessage(sent.sender, sent.to, sent.subject, sent.body, sent.sent_at))


@pytest.fixture
def mailbox() -> InMemoryMailbox:
    return InMemoryMailbox()


@pytest.fixture
def studio(clock, mailbox):
    with build_studio(now=clock, mail_sink=mail_into(mailbox)) as site:
        yield site


@pytest.fixture
def recipe_service(db, settings, browsers, clock, mailbox):
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, mailbox=mailbox)
    runner.shutdown()


@pytest.fixture
def phone_teammate(teammate) -> Teammate:
    return Teammate(**{**teammate.__dict__, "phone": PHONE})


def seed_studio(db, studio, people=("Mia Berg",), recipe=STUDIO_RECIPE, **extra):
    from booking.store.directory import upsert_startup

    with db.transaction() as session:
        upsert_startup(session, name="Nordlys Studio", aliases=["nordlys"], platform=extra.pop("platform", "custom"),
                       booking_url=extra.pop("url", studio.booking_url), people=[{"name": n} for n in people],
                       recipe=recipe, **extra)


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(120)
    return service.get(view.id)


@pytest.mark.browser
def test_studio_is_booked_end_to_end_from_its_recipe_with_the_emailed_code(
        recipe_service, studio, db, phone_teammate, mailbox):
    """Person drop-down, AJAX month grid and times, page 2 with the phone, the code read from the mailbox."""
    seed_studio(db, studio)
    final = book(recipe_service, phone_teammate, startup="nordlys")

    assert final.status == BookingStatus.CONFIRMED, final.error_message
    [booking] = studio.real_bookings
    first = datetime(2026, 12, 2, 10, 0, tzinfo=STOCKHOLM)  # = 11:00 in Helsinki, the first time past the lead
    assert booking["start"] == first and booking["person_name"] == "Mia Berg"
    assert (booking["firstname"], booking["lastname"], booking["email"], booking["phone"], booking["company"]) == (
        "Eduardo", "Paz", phone_teammate.email, PHONE, "AXA Innovation")
    assert booking["notes"].replace("\r\n", "\n") == final.message_sent  # forms send CRLF
    assert "Wed 2 Dec, 12:00 (Europe/Helsinki) would work for me too" in booking["notes"]
    assert final.external_booking_id == booking["ref"]
    assert final.confirmed_slot == first and final.slot_duration_minutes == 45
    [code_mail] = mailbox.all
    assert code_mail.to == phone_teammate.email and "verification code" in code_mail.subject
    assert [Path(p).name for p in final.screenshots][-1] == "06_submitted.png"
    with recipe_service.db.session() as session:
        assert session.get_one(MeetingBookingRequest, final.id).booking_platform == "custom"


@pytest.mark.browser
def test_days_of_a_month_without_times_are_skipped_and_the_next_month_is_opened(
        recipe_service, studio, db, phone_teammate, clock):
    """28 Dec: Jonas has no December times (all days disabled); the recipe navigates to January."""
    clock.now = datetime(2026, 12, 28, 8, 0, tzinfo=timezone.utc)
    with build_studio(now=clock, mail_sink=studio.mail_sink) as late:
        seed_studio(db, late, people=("Jonas Lund",))
        final = book(recipe_service, phone_teammate, startup="nordlys")
        assert final.status == BookingStatus.CONFIRMED, final.error_message
        [booking] = late.real_bookings
    assert booking["start"] == datetime(2027, 1, 4, 9, 0, tzinfo=STOCKHOLM)
    assert booking["person_name"] == "Jonas Lund"


@pytest.mark.browser
def test_slot_taken_at_the_code_step_replays_the_recipe_and_books_the_alternative(
        recipe_service, studio, db, phone_teammate, mailbox):
    studio.faults.take_slot_before_confirm = True
    seed_studio(db, studio)
    final = book(recipe_service, phone_teammate, startup="nordlys")
    assert final.status == BookingStatus.CONFIRMED, final.error_message
    [booking] = studio.real_bookings
    assert booking["start"] == datetime(2026, 12, 2, 11, 0, tzinfo=STOCKHOLM)
    assert len(mailbox.all) == 2  # a fresh code for the second attempt
    steps = [e.detail for e in recipe_service.events(final.id) if e.kind == "step"]
    assert any("was just taken" in s for s in steps)


@pytest.mark.browser
def test_the_second_attempt_waits_for_its_own_code_when_mail_is_slow(db, settings, browsers, clock, mailbox,
                                                                     phone_teammate):
    """Real mail takes seconds: the first attempt's code is still in the mailbox when the second is
    sent, and must not be typed while the new one is on its way."""
    with build_studio(now=clock, mail_sink=mail_into(mailbox), mail_delay=1.0) as slow_studio:
        slow_studio.faults.take_slot_before_confirm = True
        seed_studio(db, slow_studio)
        runner = JobRunner(settings.max_browsers)
        service = BookingService(db, settings, browsers, runner, clock=clock, mailbox=mailbox)
        try:
            final = book(service, phone_teammate, startup="nordlys")
        finally:
            runner.shutdown()
        assert final.status == BookingStatus.CONFIRMED, final.error_message
        [booking] = slow_studio.real_bookings
        assert booking["start"] == datetime(2026, 12, 2, 11, 0, tzinfo=STOCKHOLM)
        assert slow_studio.codes_sent == 2 and len(mailbox.all) == 2


@pytest.mark.browser
def test_required_phone_unknown_fails_before_any_code_is_sent(recipe_service, studio, db, teammate):
    seed_studio(db, studio)
    final = book(recipe_service, teammate, startup="nordlys")  # no phone in the profile
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("The page requires your phone number (add it to your Slack profile")
    assert "(recipe step 11)" in final.error_message
    assert studio.real_bookings == [] and studio.codes_sent == 0


@pytest.mark.browser
def test_without_a_mailbox_the_code_step_says_what_is_missing(db, settings, browsers, clock, studio, phone_teammate):
    runner = JobRunner(1)
    service = BookingService(db, settings, browsers, runner, clock=clock)  # no mailbox wired
    seed_studio(db, studio)
    try:
        final = book(service, phone_teammate, startup="nordlys")
    finally:
        runner.shutdown()
    assert final.status == BookingStatus.FAILED
    assert "e-mails you a code, but Booker has no mailbox" in final.error_message
    assert "form may already have been sent" in final.error_message
    assert studio.real_bookings == []


@pytest.mark.browser
def test_the_plans_flat_selectors_still_book(recipe_service, studio, db, teammate):
    """configure_startup_booking's selectors (jQuery :contains included) run as a converted recipe."""
    seed_studio(db, studio, people=("Mia Berg",), recipe=None, url=f"{studio.url}/simple", platform="custom",
                selectors={"person_button": ".team-member-button", "time_slots": ".time-slot-button",
                           "name_field": "input[name='name']", "email_field": "input[name='email']",
                           "message_field": "textarea[name='notes']", "submit_button": "button:contains('Book')"},
                success_indicators=[".success-banner", "div:contains('Booked!')"])
    final = book(recipe_service, teammate, startup="nordlys")
    assert final.status == BookingStatus.CONFIRMED, final.error_message
    [booking] = studio.real_bookings
    assert (booking["person_name"], booking["name"], booking["email"]) == ("Mia Berg", "Eduardo Paz", teammate.email)
    assert booking["start"] == datetime(2026, 12, 2, 10, 0, tzinfo=STOCKHOLM)
    assert booking["notes"].replace("\r\n", "\n") == final.message_sent  # forms send CRLF


# -- python -m booking try ----------------------------------------------------------------------------

@pytest.fixture
def try_env(monkeypatch, tmp_path):
    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path / 'try.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
                        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "6",
                        "BOOKER_USER_NAME": "Ana Lima", "BOOKER_USER_EMAIL": "ana@axa.example"}.items():
        monkeypatch.setenv(name, value)
    recipe = tmp_path / "nordlys.yaml"
    recipe.write_text(STUDIO_RECIPE)
    return recipe


@pytest.mark.browser
def test_try_dry_run_prints_every_step_and_leaves_no_booking(try_env, tmp_path):
    """`try <startup> --dry-run`: the startup's page and people from the directory, every step shown."""
    from booking.cli.main import main
    from booking.store.db import open_database

    out = io.StringIO()
    with build_studio() as live:  # the CLI runs on the real clock, so does this replica
        seed_studio(open_database(f"sqlite:///{tmp_path / 'try.db'}"), live, people=("Mia Berg",))
        code = main(["try", "nordlys", "--recipe", str(try_env), "--dry-run", "--phone", PHONE], out=out)
        assert (live.real_bookings, live.codes_sent) == ([], 0)
    text = out.getvalue()
    assert code == 0, text
    assert "step  2/18 select     selected 'Mia Berg' in select#staff" in text
    assert "step 11/18 fill       filled input[name=tel] with '+358 40 123 4567'" in text
    assert "Dry run: stopped before step 14 (submit with 'Send verification code'); nothing was sent" in text
    shots = sorted((tmp_path / "shots").glob("try-*/*.png"))
    assert len(shots) >= 13 and shots[-1].name.endswith("dry_run_stop.png")


def test_try_resolves_urls_and_directory_names(settings, db, studio):
    from booking.domain.errors import BookingError
    from booking.workflow.trying import resolve_target

    seed_studio(db, studio, people=("Jonas Lund", "Mia Berg"))
    url, name, people = resolve_target("Nordlys", settings)
    assert (url, name, [p.name for p in people]) == (studio.booking_url, "Nordlys Studio", ["Jonas Lund", "Mia Berg"])
    assert resolve_target("https://x.example/b", settings) == ("https://x.example/b", "https://x.example/b", [])
    with pytest.raises(BookingError, match="I don't know a startup called 'Nordlis'. Did you mean: Nordlys Studio"):
        resolve_target("Nordlis", settings)


def test_try_rejects_an_invalid_recipe_naming_the_step(try_env, capsys):
    from booking.cli.main import main

    try_env.write_text(STUDIO_RECIPE.replace('value: "{phone}"', 'value: "{mobile}"'))
    code = main(["try", "https://example.org/book", "--recipe", str(try_env), "--dry-run"], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2
    assert "Recipe step 11 (fill), field 'value': unknown placeholder {mobile}" in err


# -- service: recipes on startups -------------------------------------------------------------------------

def test_invalid_recipe_is_refused_when_stored_and_changes_nothing(db):
    from booking.recipes.schema import RecipeError
    from booking.store.directory import upsert_startup
    from booking.store.models import Startup

    with pytest.raises(RecipeError, match=r"Recipe step 4 \(pick_date\), field 'date_from.format'"):
        with db.transaction() as session:
            upsert_startup(session, name="Nordlys Studio", platform="custom", booking_url="https://nordlys.example/b",
                           recipe=STUDIO_RECIPE.replace('format: "%d.%m.%Y"', 'format: "%m.%Y"'))
    with db.session() as session:
        assert session.get(Startup, "nordlys-studio") is None


def test_a_startup_with_an_unknown_page_and_no_recipe_is_tried_with_auto(recipe_service, db, teammate):
    """No module and no recipe: the page is read the way a person reads it (the ``auto`` platform)."""
    from booking.store.directory import upsert_startup

    with db.transaction() as session:
        upsert_startup(session, name="Gamma", platform="", booking_url="https://gamma.example/meet")
    view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, startup="gamma"))
    assert view.platform == "auto"


def test_a_recipe_makes_an_unknown_page_bookable(recipe_service, db, teammate):
    from booking.store.directory import upsert_startup

    with db.transaction() as session:
        upsert_startup(session, name="Gamma", platform="", booking_url="https://gamma.example/meet",
                       recipe=STUDIO_RECIPE)
    view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, startup="gamma"))
    assert (view.status, view.platform, view.platform_label) == ("pending", "custom", "custom booking")


def test_a_url_no_module_recognises_is_tried_with_auto(recipe_service, teammate):
    view = recipe_service.request_booking(BookingRequestInput(teammate=teammate, url="https://gamma.example/meet"))
    assert (view.platform, view.platform_label) == ("auto", "web booking")


def test_phone_from_the_teammate_is_kept_on_the_booking(recipe_service, db, phone_teammate):
    from booking.store.directory import upsert_startup

    with db.transaction() as session:
        upsert_startup(session, name="Gamma", platform="custom", booking_url="https://gamma.example/m", recipe=STUDIO_RECIPE)
    view = recipe_service.request_booking(BookingRequestInput(teammate=phone_teammate, startup="gamma"))
    with db.session() as session:
        booking = session.get_one(MeetingBookingRequest, view.id)
        assert booking.user_phone == PHONE
        assert recipe_service.build_job(session, booking).invitee.phone == PHONE



