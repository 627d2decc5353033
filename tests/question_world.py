"""A startup whose booking form requires an answer Booker can't give: "What is this meeting about?".

Zeta Labs has one host (Hana Virtanen) on the Cal.com first build (a required custom booking field,
``responses["topic"]``) or on Calendly (a required invitee question, ``answers[QUESTION]``).
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from replicas.world import seed_directory, working_slots

QUESTION = "What is this meeting about?"
PLATFORMS = ("calcom", "calendly")


class Zeta:
    """The running replica, its platform, and how it recorded the answer to QUESTION."""

    def __init__(self, site: Any, platform: str, answer_of: Callable[[dict[str, Any]], str | None]) -> None:
        self.site, self.platform, self.answer_of = site, platform, answer_of

    @property
    def bookings(self) -> list[dict[str, Any]]:
        return self.site.bookings

    def answers(self) -> list[str | None]:
        return [self.answer_of(booking) for booking in self.site.bookings]


@contextmanager
def zeta_world(platform: str, db: Any, clock: Callable[[], datetime] | None = None) -> Iterator[Zeta]:
    """Serve Zeta Labs' page and put it in ``db``'s directory (alias "zeta")."""
    now = clock or (lambda: datetime.now(timezone.utc))
    if platform == "calcom":
        from replicas.calcom import CalComEventType, CalComField, CalComReplica, CalComUser

        event_type = CalComEventType("intro", "Intro with Zeta", 30, fields=[CalComField("topic", QUESTION, required=True)])
        site: Any = CalComReplica([CalComUser("hana-zeta", "Hana Virtanen", "hana@zeta.example", [event_type],
                                              working_slots(now()))], [], now=clock)
        zeta = Zeta(site, "calcom", lambda booking: booking["responses"].get("topic"))
    else:
        from replicas.calendly import DEFAULT_QUESTION, CalendlyEventType, CalendlyHost, CalendlyReplica

        event_type = CalendlyEventType(slug="intro", title="Intro with Zeta", questions=[DEFAULT_QUESTION, QUESTION],
                                       required_questions=True)
        site = CalendlyReplica([CalendlyHost("hana-zeta", "Hana Virtanen", "hana@zeta.example", [event_type],
                                             working_slots(now()))], [], now=clock)
        zeta = Zeta(site, "calendly", lambda booking: booking["answers"].get(QUESTION))
    with site:
        seed_directory(db, [{"name": "Zeta Labs", "aliases": ["zeta"], "platform": zeta.platform,
                             "booking_url": site.event_url("hana-zeta", "intro"),
                             "people": [{"name": "Hana Virtanen", "role": "CEO"}]}])
        yield zeta
