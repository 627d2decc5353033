"""The Home tab: my bookings grouped by state with their buttons, my review default, the team's meetings."""
from __future__ import annotations

from datetime import timedelta

import pytest
from slack_sdk.models.views import View

from booking.domain.states import BookingStatus
from booking.workflow.preferences import review_by_default
from bot import ids
from bot.blocks.home import home_view
from bot.blocks.kit import MAX_VIEW_BLOCKS
from replicas.world import seed_directory
from tests.bot.kit import MARIA, SLOT_1, SLOT_2, click, event, hold_jobs, make_booking, status_of
from tests.helpers import eventually

S = BookingStatus


@pytest.fixture
def world(bot, slack, directory, db, calendly, monkeypatch):
    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    seed_directory(db, [{"name": name, "platform": "calendly", "booking_url": calendly.event_url("carla-beta", "30min")}
                        for name in ("Gamma Energy", "Delta Foods", "Epsilon AI")])
    return app, service, hold_jobs(service, monkeypatch)


def published(slack, user="U123", count=1):
    views = eventually(lambda: len([v for v in slack.views if v["method"] == "views.publish"]) >= count
                       and [v for v in slack.views if v["method"] == "views.publish"], 15, "the Home tab")
    view = views[count - 1]
    assert view["user_id"] == user
    return view["view"]


def block_ids(view):
    return [b.get("block_id") for b in view["blocks"]]


def test_home_tab_groups_my_bookings_and_lists_the_teams_meetings(world, slack, teammate, clock):
    app, service, jobs = world
    review = make_booking(service, teammate, S.AWAITING_REVIEW, startup="Acme")
    pending = make_booking(service, teammate, S.PENDING_CONFIRMATION, startup="Beta")
    booked = make_booking(service, teammate, S.CONFIRMED, startup="Gamma Energy")
    failed = make_booking(service, teammate, S.FAILED, startup="Delta Foods")
    make_booking(service, teammate, S.CANCELLED, startup="Epsilon AI")
    theirs = make_booking(service, MARIA, S.CONFIRMED, startup="Delta Foods", slots=(SLOT_2,), person="Carla Diaz")
    past = make_booking(service, MARIA, S.CONFIRMED, startup="Epsilon AI", slots=(SLOT_1 - timedelta(days=2),))

    event(app, {"type": "app_home_opened", "user": "U123", "channel": "DU123", "tab": "home"})
    view = published(slack)
    View(**view).validate_json()  # Slack's own limits (100 blocks, lengths) as slack_sdk checks them
    groups = [i.split(":")[2] for i in block_ids(view) if i and i.startswith("home:group:")]
    assert groups == ["review", "pending_confirmation", "booked", "failed", "cancelled"]
    sections = {b["block_id"]: b for b in view["blocks"]}
    assert sections["home:group:review"]["text"]["text"] == "*Waiting for you* · 1"

    buttons = {b["block_id"]: [e["action_id"] for e in b["elements"]] for b in view["blocks"] if b["type"] == "actions"}
    assert buttons[f"home:{review.id}:actions"] == [ids.APPROVE, ids.OTHER_SLOT, ids.CANCEL]
    assert buttons[f"home:{pending.id}:actions"] == [ids.MARK_CONFIRMED, ids.CHECK_NOW, ids.CANCEL]
    assert buttons[f"home:{booked.id}:actions"] == [ids.OPEN_CALENDAR, ids.CANCEL]
    assert buttons[f"home:{failed.id}:actions"] == [ids.RETRY, ids.EDIT_RETRY, ids.OPEN_PAGE]
    assert len(block_ids(view)) == len(set(block_ids(view)))  # block ids unique in the view

    team = view["blocks"][block_ids(view).index("home:team") + 1]["text"]["text"].splitlines()
    # Slack shows a colleague's meeting in the reader's own zone; the fallback names the owner's zone.
    assert team == [
        f"<!date^{int(SLOT_1.timestamp())}^{{date_short_pretty}} at {{time}}|Wed 2 Dec 09:00 (Europe/Helsinki)> · "
        f"*Gamma Energy* with Alice Smith · <@U123> · <{booked.link}|thread>",
        f"<!date^{int(SLOT_2.timestamp())}^{{date_short_pretty}} at {{time}}|Wed 2 Dec 09:30 (Europe/Helsinki)> · "
        f"*Delta Foods* with Carla Diaz · <@U456> · <{theirs.link}|thread>",
    ]
    assert "Epsilon" not in " ".join(team) and past.id  # yesterday's meeting is not upcoming


def test_a_button_on_home_acts_and_republishes_with_a_notice(world, slack, teammate):
    app, service, jobs = world
    pending = make_booking(service, teammate, S.PENDING_CONFIRMATION, startup="Beta")
    event(app, {"type": "app_home_opened", "user": "U123", "tab": "home"})
    home = published(slack)
    click(app, slack, ids.MARK_CONFIRMED, pending.id, view={"id": "VHOME", **home},
          block_id=f"home:{pending.id}:actions")
    again = published(slack, count=2)
    assert status_of(service, pending.id) == S.CONFIRMED
    assert {b.get("block_id"): b for b in again["blocks"]}["home:notice"]["elements"][0]["text"] == \
        "Marked Beta Health as confirmed."
    assert "home:group:booked" in block_ids(again) and "home:group:pending_confirmation" not in block_ids(again)


def test_the_review_default_is_set_from_home(world, slack, teammate):
    app, service, jobs = world
    event(app, {"type": "app_home_opened", "user": "U123", "tab": "home"})
    home = published(slack)
    box = next(b for b in home["blocks"] if b.get("block_id") == "home:settings")["elements"][0]
    assert box["action_id"] == ids.HOME_REVIEW_DEFAULT and "initial_options" not in box
    click(app, slack, ids.HOME_REVIEW_DEFAULT, "", view={"id": "VHOME", **home}, block_id="home:settings",
          action={"type": "checkboxes", "selected_options": [{"value": ids.REVIEW_OPTION}]})
    again = published(slack, count=2)
    assert review_by_default(service, "U123") is True
    box = next(b for b in again["blocks"] if b.get("block_id") == "home:settings")["elements"][0]
    assert [o["value"] for o in box["initial_options"]] == [ids.REVIEW_OPTION]


def test_home_with_many_bookings_stays_within_slacks_limits():
    from booking.notify.notifier import BookingView

    views = [BookingView(id=n, status=S.FAILED.value, startup_name=f"Startup {n} " + "x" * 150, platform="calendly",
                         platform_label="Calendly", booking_url="https://calendly.com/x", user_id="U123",
                         user_name="Eduardo", user_email="e@x.example", user_timezone="Europe/Helsinki",
                         error_message="e" * 5000) for n in range(150)]
    view = home_view([("failed", views)], [], review_default=False)
    View(**view).validate_json()
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    assert any(b.get("block_id") == "home:more" for b in view["blocks"])
