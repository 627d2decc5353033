"""Who is typing: the teammate's name, e-mail and zone from Slack's users.info."""
from __future__ import annotations

from slack_sdk import WebClient

from booking.workflow.requests import Teammate


def teammate_from_slack(client: WebClient, user_id: str, default_timezone: str) -> Teammate:
    user = client.users_info(user=user_id)["user"]
    profile = user.get("profile") or {}
    name = (profile.get("real_name") or user.get("real_name") or profile.get("display_name") or user.get("name") or "").strip()
    return Teammate(
        name=name,
        email=(profile.get("email") or "").strip(),
        timezone=user.get("tz") or default_timezone,
        user_id=user_id,
        phone=(profile.get("phone") or None),
        role=(profile.get("title") or None),
    )
