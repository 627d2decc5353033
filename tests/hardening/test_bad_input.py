"""Hostile and odd input: every case gets a clear message and changes nothing."""
from __future__ import annotations

import itertools
import string

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from bot.app import build_app, make_client
from bot.commands import parse_book_text
from bot.notifier import slack_notifiers
from booking.messages import TemplateError, render_template
from booking.models import MeetingBookingRequest
from booking.service import BookingInputError, BookingRequestInput, BookingService
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
