"""Hostile and odd input: every case gets a clear message and changes nothing."""
from __future__ import annotations

import itertools
import string

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from booking.domain.errors import BookingError
from booking.domain.messages import TemplateError, render_template
from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingInputError, BookingRequestInput
from booking.workflow.service import BookingService
from bot.app import build_app
from bot.client import make_client
from bot.listeners.commands import parse_book_text
from bot.notifier import slack_notifiers
from replicas.slack_requests import bolt_request, sign, slash_command
from tests.helpers import eventually

SECRET = "test-signing-secret"
nasty_text = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=10_000),
    st.sampled_from(["<@U999>", "<#C1|general>", "*Acme*", "`rm -rf`", "<!channel>", "Acme\x00", "\u202eemcA",
                     "https://calendly.com/x|<y>", "<javascript:alert(1)>", "{user_name.__class__}", "%s%s%n", "Ⅰ" * 50]),
)


_EXAMPLES = itertools.count()


class QueueOnly:
    def __init__(self) -> None:
        self.jobs: list[int] = []

    def submit(self, fn, booking_id, *a, **k):  # type: ignore[no-untyped-def]
        self.jobs.append(booking_id)


@pytest.fixture
def front_door(slack_settings, db, slack, calendly, directory):
    client = make_client(slack_settings)
    runner = QueueOnly()
    service = BookingService(db, slack_settings, browsers=None, runner=runner, notifiers=slack_notifiers(client))  # type: ignore[arg-type]
    return build_app(slack_settings, service, client=client), service, runner


@given(text=nasty_text)
@hsettings(max_examples=150, deadline=None)
def test_parse_book_text_never_raises(text):
    kind, value = parse_book_text(text)
    assert kind in {"empty", "help", "list", "status", "cancel", "invalid", "url", "startup", "batch"}
    for each_kind, each in (value if kind == "batch" else [(kind, value)]):
        if each_kind == "startup":
            assert 0 < len(each) <= 300 and not any(ord(c) < 32 for c in each)


@given(text=nasty_text)
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_book_text_gets_a_reply_and_no_stray_booking(front_door, slack, text):
    app, service, runner = front_door
    # Each example has its own teammate and channel: work an earlier example's listener is still
    # finishing (posting a parent message after its ack) can't be mistaken for this one's answer.
    n = next(_EXAMPLES)
    user, channel = f"UFUZZ{n}", f"CFUZZ{n}"
    slack.add_user(user, "Eduardo Paz", f"fuzz{n}@axa-innovation.example")
    views_before = len(slack.views)
    body = slash_command(text=text, user_id=user, channel_id=channel,
                         response_url=slack.response_url(f"fuzz{n}", user=user))
    assert app.dispatch(bolt_request(body, sign(SECRET, body))).status == 200
    kind, value = parse_book_text(text)

    def answered():
        with service.db.session() as session:
            created = session.query(MeetingBookingRequest).filter_by(user_id=user).count()
        replies = slack.ephemerals(user)
        forms = slack.views[views_before:] if kind == "empty" else []
        posts = slack.messages(channel)
        return (created, replies, forms, posts) if created or replies or forms or posts else None

    created, replies, forms, posts = eventually(answered, 10, "a reply, a form or a booking")
    if created:
        assert kind in {"startup", "url", "batch"}
    elif posts:
        assert kind == "batch" and "Traceback" not in str(posts)  # the batch summary lists what was skipped
    elif forms:
        assert kind == "empty"  # `/book` alone opens the booking form
    else:
        assert len(replies) == 1 and "Traceback" not in replies[0]["text"]
        assert len(replies[0]["text"]) < 3000


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "data:text/html,<script>1</script>", "chrome://settings",
    "http://127.0.0.2/x", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://[::1]:8080/", "http://localhost:631/",
])
def test_hostile_booking_urls_are_refused_with_a_message(service, teammate, url):
    with pytest.raises(BookingInputError) as refused:
        service.request_booking(BookingRequestInput(teammate=teammate, url=url, platform="calendly"))
    assert str(refused.value) and "Traceback" not in str(refused.value)
    with service.db.session() as session:
        assert session.query(MeetingBookingRequest).count() == 0


@given(template=st.text(alphabet=string.printable, max_size=200))
@hsettings(max_examples=300, deadline=None)
def test_templates_are_rendered_or_refused_never_evaluated(template):
    try:
        text = render_template(template, {"user_name": "Eve"})
    except TemplateError:
        return
    assert "<class" not in text and "object at 0x" not in text


@pytest.mark.parametrize("template", ["{user_name.__class__.__mro__}", "{0}", "{user_name[0]}", "{email!r}", "{x}"])
def test_format_tricks_in_a_request_store_nothing(service, teammate, directory, template):
    with pytest.raises(BookingInputError, match="placeholder"):
        service.request_booking(BookingRequestInput(teammate=teammate, startup="acme", message_template=template))
    with service.db.session() as session:
        assert session.query(MeetingBookingRequest).count() == 0


# -- the booking form: every field of a view_submission, forged or fuzzed ------------------------------
field_text = st.one_of(st.none(), nasty_text)
dates_and_times = st.one_of(st.none(), st.sampled_from(["2026-12-03", "14:00", "25:61", "2026-02-30", "", "0"]),
                            nasty_text)
metadata_text = st.one_of(st.just('{"c":"C123"}'), st.sampled_from(['{"c": 7}', '{"c": ["C1"]}', "[1]", "null", "{",
                                                                     '{"c": "<!channel>"}']), nasty_text)


def modal_values(startup, person, message, day, start, end):  # type: ignore[no-untyped-def]
    from bot import ids

    values = {"startup": {ids.STARTUP_PICK: {"type": "external_select", "selected_option":
                                            None if startup is None else {"value": startup, "text": {"type": "plain_text", "text": "x"}}}},
              "message": {ids.MESSAGE: {"type": "plain_text_input", "value": message}},
              "options": {ids.OPTIONS: {"type": "checkboxes", "selected_options": []}}}
    if person is not None:
        values["person"] = {ids.PERSON_PICK: {"type": "static_select", "selected_option": {"value": person}}}
    for block, action, key, value in (("day", ids.PREF_DAY, "selected_date", day), ("from", ids.PREF_FROM, "selected_time", start),
                                      ("until", ids.PREF_UNTIL, "selected_time", end)):
        if value is not None:
            values[block] = {action: {key: value}}
    return values


@given(startup=st.one_of(st.just("acme-robotics"), field_text), person=field_text, message=field_text,
       day=dates_and_times, start=dates_and_times, end=dates_and_times, metadata=metadata_text)
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_booking_form_gets_an_answer_under_its_fields_or_a_reply(front_door, slack, caplog, startup, person,
                                                                     message, day, start, end, metadata):
    """A forged or fuzzed form: errors under the fields (nothing stored), or a booking, or a private reply."""
    import json
    import logging

    from bot import ids
    from replicas.slack_requests import view_submission

    app, service, runner = front_door
    slack.reset()
    slack.add_user("U123", "Eduardo Paz", "eduardo.paz@axa-innovation.example")
    caplog.clear()
    with service.db.session() as session:
        before = session.query(MeetingBookingRequest).count()
    queued = len(runner.jobs)
    body = view_submission(ids.BOOK_MODAL, modal_values(startup, person, message, day, start, end),
                           private_metadata=metadata)
    response = app.dispatch(bolt_request(body, sign(SECRET, body)))
    assert response.status == 200, response.body
    if response.body:
        answer = json.loads(response.body)
        assert answer["response_action"] == "errors"
        assert answer["errors"] and all(0 < len(text) <= 150 for text in answer["errors"].values())
        with service.db.session() as session:
            assert session.query(MeetingBookingRequest).count() == before
    else:
        def outcome():  # type: ignore[no-untyped-def]
            with service.db.session() as session:
                created = session.query(MeetingBookingRequest).count() - before
            said = slack.ephemerals("U123") + slack.dms("U123")
            return (created, said) if created or said else None

        created, said = eventually(outcome, 10, "a booking or a private reply")
        assert not any("Something went wrong" in m.get("text", "") for m in said), said
        if created:
            eventually(lambda: len(runner.jobs) > queued, 10, "the booking to be queued")
            with service.db.transaction() as session:  # make room for the next example
                for row in session.query(MeetingBookingRequest).all():
                    row.status = "cancelled"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


# -- someone else's, or forged, button payloads -------------------------------------------------------------
@pytest.fixture
def buttons(bot, slack, directory, monkeypatch):
    from tests.bot.kit import hold_jobs

    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    return app, service, hold_jobs(service, monkeypatch)


BOOKING_ACTIONS = ["booking_cancel", "booking_retry", "booking_edit_retry", "booking_mark_confirmed", "booking_check_now",
                   "booking_accept_new_time", "booking_decline_new_time", "review_approve", "review_other_slot"]


@pytest.mark.parametrize("value", ["abc", "", "-1", "1.5", "99999999999999999999", "1 OR 1=1", '{"id": 1}', "٣"])
@pytest.mark.parametrize("action_id", BOOKING_ACTIONS)
def test_forged_button_values_change_nothing(buttons, slack, teammate, action_id, value):
    from tests.bot.kit import click, make_booking, replies

    app, service, jobs = buttons
    view = make_booking(service, teammate, BookingStatus.FAILED)
    jobs.clear()
    [reply] = replies(slack, click(app, slack, action_id, value))
    assert reply["text"] in ("That booking no longer exists.",) or "Nothing was changed" in reply["text"], reply
    assert service.get(view.id).status == BookingStatus.FAILED and jobs == []


@pytest.mark.parametrize("action_id", BOOKING_ACTIONS)
def test_a_colleagues_booking_id_in_any_button_is_refused(buttons, slack, action_id):
    from tests.bot.kit import MARIA, click, make_booking, replies

    app, service, jobs = buttons
    statuses = {"booking_retry": BookingStatus.FAILED, "review_approve": BookingStatus.AWAITING_REVIEW,
                "review_other_slot": BookingStatus.AWAITING_REVIEW}
    status = statuses.get(action_id, BookingStatus.PENDING_CONFIRMATION)
    theirs = make_booking(service, MARIA, status)
    jobs.clear()
    [reply] = replies(slack, click(app, slack, action_id, theirs.id))  # U123 presses Maria's button
    assert reply["text"] == ("This booking belongs to <@U456>; only they or a Booker admin can change it. "
                             "Nothing was changed.")
    assert service.get(theirs.id).status == status and jobs == []


def test_forged_book_anyway_values_are_refused(buttons, slack, teammate):
    import json

    from booking.workflow.batches import create_batch
    from tests.bot.kit import click, replies

    app, service, jobs = buttons
    marias_batch = create_batch(service, "U456", "Acme, Beta")
    cases = {
        "[1]": "That button is out of date.",
        '{"s": 5}': "That button is out of date.",
        '{"s": "Acme", "b": "1"}': "That button is out of date.",
        '{"c": "C123"}': "That button is out of date.",
        "not json": "That button is out of date.",
        json.dumps({"s": "Acme", "b": marias_batch}): "That button belongs to another teammate's request; nothing was booked.",
    }
    for value, expected in cases.items():
        [reply] = replies(slack, click(app, slack, "book_anyway", value))
        assert reply["text"] == expected, value
    with service.db.session() as session:
        assert session.query(MeetingBookingRequest).count() == 0
    assert jobs == []


@pytest.mark.parametrize("metadata", ['{"b": "MARIA"}', '{"b": [1]}', '{"b": null}', "[]", '{"c": {"x": 1}}'])
def test_forged_edit_form_metadata_changes_nothing(buttons, slack, metadata):
    from tests.bot.kit import MARIA, make_booking, submit

    app, service, jobs = buttons
    theirs = make_booking(service, MARIA, BookingStatus.FAILED)
    jobs.clear()
    forged = metadata.replace('"MARIA"', str(theirs.id))
    assert submit(app, "edit_retry_modal", {}, metadata=forged).body == ""
    said = eventually(lambda: slack.ephemerals("U123") + slack.dms("U123"), 10, "a private reply")
    assert said[-1]["text"] in ("That form no longer matches a booking.",
                                "This booking belongs to <@U456>; only they or a Booker admin can change it. "
                                "Nothing was changed.")
    assert service.get(theirs.id).status == BookingStatus.FAILED and jobs == []


# -- hostile URLs in configs and recipes: refused unless allow-listed ------------------------------------------
HOSTILE_URLS = ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,<script>1</script>", "chrome://settings",
                "http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data",
                "http://10.0.0.1/book", "http://192.168.1.1/", "http://[::1]:8080/", "http://[fe80::1]/",
                "http://0.0.0.0/", "http://user:pw@calendly.com/x"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_admin_add_refuses_hostile_urls_and_stores_nothing(service, url):
    from booking.store.models import Startup
    from booking.workflow.admin import Admin, ShortlistError

    admin = Admin(service)
    service.settings = service.settings.with_overrides(admins=("UADMIN",), allowed_hosts=())
    with pytest.raises(ShortlistError) as refused:
        admin.add_startup("UADMIN", "Evil Corp", url, "calendly")
    assert str(refused.value).startswith("'Evil Corp': ") and len(str(refused.value)) < 300
    with service.db.session() as session:
        assert session.query(Startup).count() == 0


def test_the_allow_list_is_what_lets_a_local_page_in(service):
    from booking.workflow.admin import Admin

    admin = Admin(service)
    service.settings = service.settings.with_overrides(admins=("UADMIN",), allowed_hosts=("intranet.local:8443",))
    with pytest.raises(BookingError):
        admin.add_startup("UADMIN", "Evil Corp", "https://127.0.0.1:8443/book", "calendly")
    assert admin.add_startup("UADMIN", "Intranet Demo", "https://intranet.local:8443/book", "calendly").startswith(
        "Added Intranet Demo")


def test_import_refuses_hostile_urls_anywhere_in_a_row(settings, db, tmp_path, monkeypatch):
    import contextlib
    import io

    from booking.cli import main as cli
    from booking.store.models import Startup

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOOKER_SCREENSHOT_DIR", str(settings.screenshot_dir))
    path = tmp_path / "shortlist.yaml"
    path.write_text(
        "startups:\n"
        "  - {name: Acme Robotics, booking_url: 'https://calendly.com/acme'}\n"
        "  - {name: Metadata, booking_url: 'http://169.254.169.254/latest', platform: calendly}\n"
        "  - name: Beta Health\n"
        "    booking_url: https://calendly.com/beta\n"
        "    people: [{name: Carla Diaz, booking_url: 'http://10.1.2.3/carla'}]\n")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["startups", "import", str(path)], out=io.StringIO())
    assert code == 2
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("error: row 2 ('Metadata'): The booking URL points at a private or local address")
    assert lines[1].startswith("error: row 3 ('Beta Health'): person 1's booking link: The booking URL points at a private")
    assert lines[-1] == "error: nothing was imported"
    with db.session() as session:
        assert session.query(Startup).count() == 0


@pytest.mark.parametrize("where", ["recipe", "person"])
@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:9/admin", "file:///etc/passwd"])
def test_a_config_that_would_open_a_hostile_url_is_refused_before_anything_is_stored(service, teammate, where, url):
    """The booking URL is fine; a literal recipe ``open`` step or a person's own link is not."""
    from booking.store.directory import upsert_startup

    service.settings = service.settings.with_overrides(allowed_hosts=())
    recipe = ("steps:\n  - open: \"{url}\"\n  - open: \"%s\"\n  - pick_time: {slots: \"button.t\", time_from: {attribute: "
              "data-time, format: iso}}\n  - submit: {text: Book}\n  - success: [{text: Booked}]\n" % url)
    with service.db.transaction() as session:
        if where == "recipe" and url.startswith("http"):
            upsert_startup(session, name="Gamma", platform="custom", booking_url="https://gamma.example/meet", recipe=recipe)
        elif where == "recipe":
            return  # load_recipe already refuses a non-http open step (tests/recipes/test_recipes.py)
        else:
            upsert_startup(session, name="Gamma", platform="calendly", booking_url="https://calendly.com/gamma",
                           people=[{"name": "Gia", "booking_url": url}])
    with pytest.raises(BookingInputError) as refused:
        service.request_booking(BookingRequestInput(teammate=teammate, startup="Gamma"))
    assert ("Recipe step 2 (open)" if where == "recipe" else "Gia's own booking link") in str(refused.value)
    with service.db.session() as session:
        assert session.query(MeetingBookingRequest).count() == 0


# -- a public-looking page that sends the browser somewhere it must not go --------------------------------------
class Redirector:
    """An allow-listed "public" site (by host:port) whose pages send the browser to a local address."""

    def __init__(self) -> None:
        from replicas.server import LoopbackServer, Response

        self.secret_hits = 0
        self.server = LoopbackServer()

        def secret(request):  # type: ignore[no-untyped-def]
            self.secret_hits += 1
            return Response.html("<h1>ami-id instance-id SECRET-METADATA</h1>")

        add = self.server.add_route
        add("GET", r"/latest/meta-data", secret)
        add("GET", r"/http", lambda r: Response.redirect(self.secret, 302))
        add("GET", r"/meta", lambda r: Response.html(f'<meta http-equiv="refresh" content="0;url={self.secret}">'))
        add("GET", r"/script", lambda r: Response.html(
            f'<p>Loading the calendar…</p><script>setTimeout(() => location.replace("{self.secret}"), 200)</script>'))
        add("GET", r"/file", lambda r: Response.redirect("file:///etc/passwd", 302))
        add("GET", r"/frame", lambda r: Response.html(
            f'<div class="calendly-inline-widget" style="height:600px"><iframe src="{self.secret}"></iframe></div>'))

    @property
    def secret(self) -> str:
        return f"http://localhost:{self.port}/latest/meta-data"  # the same server, by a name nobody allowed

    @property
    def port(self) -> int:
        return int(self.server.url.rsplit(":", 1)[1])


@pytest.fixture
def redirector():
    site = Redirector()
    site.server.start()
    yield site
    site.server.stop()


@pytest.mark.browser
@pytest.mark.parametrize("path, platform", [("/http", "calendly"), ("/meta", "calendly"), ("/script", "custom"),
                                            ("/file", "calendly"), ("/frame", "embed")])
def test_a_redirect_to_a_local_address_is_stopped_before_anything_is_read(db, settings, clock, teammate, redirector,
                                                                          path, platform):
    from booking.runtime.runner import JobRunner
    from booking.store.directory import upsert_startup
    from tests.hardening.worlds import Recorder, RecordingFactory

    allowed = settings.with_overrides(allowed_hosts=(f"127.0.0.1:{redirector.port}",), page_load_timeout=5)
    url = f"http://127.0.0.1:{redirector.port}{path}"
    recipe = ("steps:\n  - open: \"{url}\"\n  - wait: {selector: \"#calendar\", timeout: 3}\n  - pick_time: {slots: "
              "\"button.t\", time_from: {attribute: data-time, format: iso}}\n  - submit: {text: Book}\n"
              "  - success: [{text: Booked}]\n")
    with db.transaction() as session:
        upsert_startup(session, name="Looks Public", platform=platform, booking_url=url,
                       recipe=recipe if platform == "custom" else None)
    browsers, notifier, runner = RecordingFactory(allowed, record_pages=True), Recorder(), JobRunner(1)
    service = BookingService(db, allowed, browsers, runner, clock=clock, notifiers=lambda view: notifier)
    try:
        view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Looks Public"))
        service.start(view.id)
        assert runner.wait_idle(120)
    finally:
        runner.shutdown()
    final = service.get(view.id)

    assert final.status == BookingStatus.FAILED and final.retry_count == 0
    if path == "/file":  # Chromium itself refuses a redirect to file: (ERR_UNSAFE_REDIRECT): nothing loads
        assert "did not appear" in final.error_message
    else:
        assert f"sent the browser to {redirector.secret} and Booker stopped there" in final.error_message
        assert "private or local address" in final.error_message
    for step, seen in browsers.captured:  # what each screenshot showed
        assert "SECRET-METADATA" not in seen and "root:x:0:0" not in seen, step
    assert not any("SECRET-METADATA" in text for text in notifier.told(view.id))
    assert browsers.live_sessions == 0


# -- oversized and malformed recipes ----------------------------------------------------------------------------
yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=50))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                 st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                           max_leaves=20)
step_names = st.sampled_from(["open", "click", "select", "pick_date", "pick_time", "fill", "wait", "enter_code",
                              "submit", "success", "booking_id", "run", "__class__"])
recipe_like = st.fixed_dictionaries({"steps": st.lists(st.dictionaries(step_names, yaml_values, min_size=1, max_size=2),
                                                       max_size=8)},
                                    optional={"name": yaml_values, "timezone": yaml_values, "duration_minutes": yaml_values})


@given(source=st.one_of(st.text(max_size=2000), recipe_like))
@hsettings(max_examples=400, deadline=None)
def test_any_recipe_is_loaded_or_refused_with_a_recipe_error(source):
    from booking.recipes.loading import load_recipe
    from booking.recipes.schema import RecipeError

    try:
        load_recipe(source)
    except RecipeError as exc:
        assert str(exc).startswith("Recipe") and len(str(exc)) < 1000


@pytest.mark.parametrize("recipe, words", [
    ("steps:\n" + "  - wait: {network_idle: true}\n" * 186, "at most 60"),  # issue 15: 186 steps were accepted
    ("steps:\n" + "  - wait: {selector: '#ready', timeout: 600}\n" * 7, "add up to 4200 s"),
    ("name: x\n# " + "padding " * 20_000, "at most 100000 are accepted"),
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ("steps: {open: 1}", "Recipe"),
    ("- just\n- a list", "a recipe is a mapping"),
    ("a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nsteps: [*b, *b, *b, *b, *b, *b, *b, *b]", "Recipe"),
])
def test_an_oversized_or_malformed_recipe_is_refused_when_stored_and_when_booked(service, teammate, recipe, words):
    """Stored through the directory it is refused at once; one already in the database (an older
    version, a hand edit) is refused when someone asks to book, before anything is stored."""
    from booking.recipes.schema import RecipeError
    from booking.store.directory import upsert_startup
    from booking.store.models import Startup, StartupBookingConfig

    with pytest.raises(RecipeError, match=words):
        with service.db.transaction() as session:
            upsert_startup(session, name="Gamma", platform="custom", booking_url="https://gamma.example/m", recipe=recipe)
    with service.db.transaction() as session:
        session.add(Startup(id="gamma", display_name="Gamma", aliases=[], config=StartupBookingConfig(
            startup_id="gamma", platform_type="custom", booking_url="https://gamma.example/m", recipe=recipe)))
    with pytest.raises(BookingInputError) as refused:
        service.request_booking(BookingRequestInput(teammate=teammate, startup="Gamma"))
    assert str(refused.value).startswith("Gamma: Recipe") and words.split()[0] in str(refused.value)
    with service.db.session() as session:
        assert session.query(MeetingBookingRequest).count() == 0


def test_trying_a_huge_recipe_file_refuses_without_reading_it(tmp_path):
    from booking.recipes.schema import RecipeError
    from booking.workflow.trying import read_recipe

    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: no disk used, and read_recipe must not read it
    with pytest.raises(RecipeError, match="a recipe has at most 100000 characters"):
        read_recipe(path)
    path.write_bytes(b"\xff\xfe steps")
    with pytest.raises(RecipeError, match="not UTF-8"):
        read_recipe(path)
