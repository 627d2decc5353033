"""Command text exactly as Slack sends it: `&amp;`, `&lt;…&gt;`, `<mailto:…|…>`, links and mentions."""
from __future__ import annotations

import pytest

from booking.store.directory import find_startup, upsert_startup
from booking.store.models import MeetingBookingRequest, Startup
from bot.listeners.commands import parse_book_text
from bot.listeners.slack_text import plain, unescape
from tests.bot.kit import command, hold_jobs, replies
from tests.helpers import eventually

RECIPE = """\
name: Studio & Co <main>
steps:
  - open: '{url}'
  - pick_time: {slots: li, time_from: {text: true, format: "%Y-%m-%d %H:%M"}}
  - fill: {field: '#name', value: '{name}'}
  - submit: {text: Book}
  - success: [.ok]
"""


@pytest.fixture
def slack_settings(settings, slack):
    slack.add_user("UADMIN", "Ada Admin", "ada@axa-innovation.example")
    return settings.with_overrides(slack_api_url=slack.api_url, admins=("UADMIN",))


def admin_says(app, slack, text):
    return replies(slack, command(app, slack, text, user="UADMIN", name="/book-admin"))[0]["text"]


def people_of(service, name):
    with service.db.session() as session:
        return find_startup(session, name).startup.config.available_people


def test_unescape_takes_slack_tokens_out_first():
    assert unescape("R&amp;D &lt;b&gt; &amp;lt;") == "R&D <b> &lt;"
    assert plain("Mail <mailto:a@b.example|a@b.example> or see <https://x.example/?a=1&amp;b=2|site> &lt;3") == \
        "Mail a@b.example or see https://x.example/?a=1&b=2 <3"


@pytest.mark.parametrize("text, expected", [
    ("R&amp;D Labs", ("startup", "R&D Labs")),
    ("R&amp;D Labs, Q&amp;A Co", ("batch", [("startup", "R&D Labs"), ("startup", "Q&A Co")])),
    ("<https://cal.example/a?x=1&amp;y=2,3>", ("url", "https://cal.example/a?x=1&y=2,3")),
    ("Acme &lt;3", ("startup", "Acme <3")),
])
def test_book_text_is_read_as_slack_escapes_it(text, expected):
    assert parse_book_text(text) == expected


def test_book_r_and_d_labs_is_one_startup(bot, slack, db, monkeypatch):
    """`/book R&D Labs` arrives as `R&amp;D Labs`: one booking of R&D Labs, not a batch of two."""
    app, service = bot
    with db.transaction() as session:
        upsert_startup(session, name="R&D Labs", booking_url="https://calendly.com/rd/intro", platform="calendly")
    jobs = hold_jobs(service, monkeypatch)
    command(app, slack, "R&amp;D Labs")
    eventually(lambda: jobs, 10, "the booking to be queued")
    with db.session() as session:
        assert [r.startup_name for r in session.query(MeetingBookingRequest)] == ["R&D Labs"]


@pytest.mark.parametrize("written", [
    "Alice Smith (CEO) &lt;alice@acme.example&gt;",
    "Alice Smith (CEO) <mailto:alice@acme.example|alice@acme.example>",
    "Alice Smith (CEO) &lt;<mailto:alice@acme.example|alice@acme.example>&gt;",
])
def test_people_with_an_escaped_or_linked_address_are_one_person(bot, slack, db, written):
    app, service = bot
    with db.transaction() as session:
        upsert_startup(session, name="Acme", booking_url="https://calendly.com/acme/intro", platform="calendly")
    assert admin_says(app, slack, f"people Acme: {written}, Bob &amp; Co") == \
        "Acme: Booker will ask for Alice Smith, Bob & Co, in that order."
    assert people_of(service, "Acme") == [{"email": "alice@acme.example", "role": "CEO", "name": "Alice Smith"},
                                          {"name": "Bob & Co"}]


def test_admin_add_in_any_script_answers_the_truth(bot, slack, db):
    """`/book-admin add شركة …` says it was added (it used to say "Something went wrong" after storing it)."""
    app, service = bot
    assert admin_says(app, slack, "add شركة <https://calendly.com/sharika/intro>") == \
        "Added شركة (Calendly): https://calendly.com/sharika/intro"
    assert admin_says(app, slack, "add Мир Тех https://calendly.com/mirtech/intro") == \
        "Added Мир Тех (Calendly): https://calendly.com/mirtech/intro"
    assert admin_says(app, slack, "add R&amp;D Labs https://calendly.com/rd/intro?a=1&amp;b=2") == \
        "Added R&D Labs (Calendly): https://calendly.com/rd/intro?a=1&b=2"
    with db.session() as session:
        assert sorted(s.display_name for s in session.query(Startup)) == ["R&D Labs", "Мир Тех", "شركة"]


def test_admin_list_remove_and_recipes(bot, slack, db):
    app, service = bot
    with db.transaction() as session:
        upsert_startup(session, name="Studio X", booking_url="https://studio.example/book", platform="custom",
                       recipe=RECIPE)
        upsert_startup(session, name="Acme", booking_url="https://calendly.com/acme/intro", platform="calendly")
    assert admin_says(app, slack, "list").splitlines() == [
        "Acme [acme] calendly https://calendly.com/acme/intro (0 people)",
        "Studio X [studio-x] custom https://studio.example/book (0 people, recipe)"]
    shown = admin_says(app, slack, "recipe show studio x")
    assert shown.startswith("Studio X's recipe:\n```name: Studio") and shown.endswith("```")
    # A bad recipe is refused in one line; a good one arrives with Slack's escapes and is stored as written.
    assert admin_says(app, slack, "recipe set Acme ```steps:\n  - teleport: {}\n```").startswith("Recipe step 1")
    escaped = RECIPE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert admin_says(app, slack, f"recipe set Acme\n```{escaped}```") == "Acme: recipe stored (5 steps)."
    assert admin_says(app, slack, "recipe show Acme") == f"Acme's recipe:\n```{RECIPE}```"
    assert "name,booking_url,platform" in admin_says(app, slack, "export")
    assert admin_says(app, slack, "remove Acme") == "Removed Acme from the directory."
    assert admin_says(app, slack, "remove Acme").startswith("I don't know a startup called 'Acme'")
