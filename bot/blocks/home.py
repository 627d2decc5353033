"""The Home tab: the teammate's bookings grouped by state (each a card with its buttons), their review
default, the Book and Working hours buttons, and the team's upcoming confirmed meetings, within
Slack's 100 blocks per view.
"""
from __future__ import annotations

from typing import Any, Sequence

from booking.notify.notifier import BookingView
from bot.blocks.booking import booking_card
from bot.blocks.kit import (
    GROUP_TITLES, MAX_OPTION_TEXT, MAX_VIEW_BLOCKS, Blocks, actions, button, chunks, context, escape, link, owner,
    plain, section, shared_time,
)
from bot.ids import HOME_BOOK, HOME_HOURS, HOME_REVIEW_DEFAULT, REVIEW_OPTION


def home_view(groups: Sequence[tuple[str, Sequence[BookingView]]], upcoming: Sequence[BookingView],
              review_default: bool, notice: str | None = None) -> dict[str, Any]:
    review_option = {"text": plain("Let me review each filled form before it is sent", MAX_OPTION_TEXT),
                     "value": REVIEW_OPTION}
    review_box: dict[str, Any] = {"type": "checkboxes", "action_id": HOME_REVIEW_DEFAULT, "options": [review_option]}
    if review_default:
        review_box["initial_options"] = [review_option]
    top: Blocks = [
        {"type": "header", "block_id": "home:header", "text": plain("Booker", 150)},
        section("Book meetings with startups: type `/book <startup>`, or use the form.", block_id="home:intro"),
        actions("home:actions", [button("Book a meeting", HOME_BOOK, "home", style="primary"),
                                 button("Working hours", HOME_HOURS, "home")]),
        actions("home:settings", [review_box]),
    ]
    if notice:
        top.append(context(escape(notice), block_id="home:notice"))
    top.append({"type": "header", "block_id": "home:mine", "text": plain("Your bookings", 150)})

    team: Blocks = [{"type": "divider", "block_id": "home:divider"},
                    {"type": "header", "block_id": "home:team", "text": plain("Team: upcoming meetings", 150)}]
    if upcoming:
        lines = [f"{shared_time(v.confirmed_slot, v.user_timezone)} · *{escape(v.startup_name)}*"
                 + (f" with {escape(v.person_name)}" if v.person_name else "") + f" · {owner(v)}"
                 + (f" · {link(v.link, 'thread')}" if v.link else "")
                 for v in upcoming if v.confirmed_slot]
        team += [section(chunk, block_id=f"home:team:{n}") for n, chunk in enumerate(chunks(lines))][:5]
    else:
        team.append(section("No confirmed meetings coming up yet.", block_id="home:team:none"))

    mine: Blocks = []
    budget = MAX_VIEW_BLOCKS - len(top) - len(team) - 1
    hidden = 0
    if not groups:
        mine.append(section("No bookings yet — type `/book Acme` or press *Book a meeting*.", block_id="home:none"))
    for key, views in groups:
        title = section(f"*{GROUP_TITLES[key]}* · {len(views)}", block_id=f"home:group:{key}")
        if len(mine) + 1 + 2 > budget:
            hidden += len(views)
            continue
        mine.append(title)
        for view in views:
            card = booking_card(view, "home")
            if len(mine) + len(card) > budget:
                hidden += 1
                continue
            mine += card
    if hidden:
        mine.append(context(f"…and {hidden} more: `/book list` shows them all.", block_id="home:more"))
    return {"type": "home", "blocks": top + mine + team}


