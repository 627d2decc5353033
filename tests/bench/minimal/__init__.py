"""Minimal hand-written Selenium bookings, one per platform: the baseline the bot is measured against.

Each function books the first slot its replica offers for one invitee, the way a person would write
it for that one page: plain Selenium, explicit waits, ``send_keys`` for every field, no screenshots,
no database. ``world`` is the fault suite's :class:`tests.hardening.worlds.World` for the platform
(the replica and the startup's directory entry); it returns once the platform's success (or
"request sent") screen shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

STEP_TIMEOUT = 15


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    phone: str = "+358 40 123 4567"

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def last(self) -> str:
        return self.name.split()[-1]


def intro_message(invitee: Invitee) -> str:
    """The same text the bot sends, so both contenders type as much."""
    from booking.config.settings import DEFAULT_MESSAGE_TEMPLATE
    from booking.domain.messages import render_template

    text = render_template(DEFAULT_MESSAGE_TEMPLATE, {"user_name": invitee.name, "company": "AXA Innovation"})
    return text + "\n\nIf that time doesn't suit you, Thu 3 Dec, 10:30 (Europe/Helsinki) would work for me too."


def waiter(driver: WebDriver) -> WebDriverWait:
    return WebDriverWait(driver, STEP_TIMEOUT, poll_frequency=0.1)


def booking_url(world: Any) -> str:
    """The startup's booking URL as the directory holds it."""
    from sqlalchemy import select

    from booking.store.models import Startup, StartupBookingConfig

    with world.service.db.session() as session:
        return session.scalars(select(StartupBookingConfig.booking_url).join(Startup)
                               .where(Startup.display_name == world.startup)).one()


Minimal = Callable[[WebDriver, Any, Invitee], None]
MINIMAL: dict[str, Minimal] = {}


def minimal(platform: str) -> Callable[[Minimal], Minimal]:
    def register(fn: Minimal) -> Minimal:
        MINIMAL[platform] = fn
        return fn
    return register


# One module per platform registers its script.
from tests.bench.minimal import anypage_1, anypage_2, anypage_3, anypage_4  # noqa: E402,F401  (blind any-pages)
from tests.bench.minimal import blind  # noqa: E402,F401  (the blind builds' scripts)
from tests.bench.minimal import calcom  # noqa: E402,F401
from tests.bench.minimal import calendly  # noqa: E402,F401
from tests.bench.minimal import chilipiper  # noqa: E402,F401
from tests.bench.minimal import custom  # noqa: E402,F401
from tests.bench.minimal import embed  # noqa: E402,F401
from tests.bench.minimal import hubspot  # noqa: E402,F401
from tests.bench.minimal import slush  # noqa: E402,F401
