"""Per-teammate settings kept on ``SlackUser.preferences`` (a JSON column), e.g. review before submit."""
from __future__ import annotations

from typing import TYPE_CHECKING

from booking.models import SlackUser

if TYPE_CHECKING:
    from booking.service import BookingService, Teammate

REVIEW_BEFORE_SUBMIT = "review_before_submit"


def review_by_default(service: "BookingService", user_id: str | None) -> bool:
    """Whether the teammate wants to see every filled form before it is sent."""
    if not user_id:
        return False
    with service.db.session() as session:
        user = session.get(SlackUser, user_id)
        return bool(user and (user.preferences or {}).get(REVIEW_BEFORE_SUBMIT))


def set_review_by_default(service: "BookingService", teammate: "Teammate", enabled: bool) -> None:
    if not teammate.user_id:
        raise ValueError("a preference needs a Slack user")
    with service.db.transaction() as session:
        user = session.get(SlackUser, teammate.user_id)
        if user is None:
            user = SlackUser(id=teammate.user_id, name=teammate.name or teammate.user_id, email=teammate.email or None,
                             tz=teammate.timezone)
            session.add(user)
        user.preferences = {**(user.preferences or {}), REVIEW_BEFORE_SUBMIT: bool(enabled)}
