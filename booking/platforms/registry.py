"""The platform registry: one line per booking site.

To add a site, write ``booking/platforms/<site>.py`` with a :class:`~booking.platforms.base.Platform`
subclass and add it to ``PLATFORMS`` below.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from booking.domain.errors import UnknownPlatform
from booking.platforms.auto import AutoPage
from booking.platforms.base import Invitee, Person, Platform, PlatformContext, StatusCheck, SubmitResult
from booking.platforms.calcom import CalCom
from booking.platforms.calendly import Calendly
from booking.platforms.chilipiper import ChiliPiper
from booking.platforms.custom.platform import CustomRecipe
from booking.platforms.embed import EmbeddedWidget
from booking.platforms.google_appointments import GoogleAppointments
from booking.platforms.hubspot import HubSpot
from booking.platforms.ms_bookings import MsBookings
from booking.platforms.slush import SlushMatchmaking

if TYPE_CHECKING:
    from booking.config.settings import Settings

SITES: tuple[type[Platform], ...] = (Calendly, CalCom, HubSpot, ChiliPiper, SlushMatchmaking)


class EmbeddedSiteWidget(EmbeddedWidget):
    """A startup's own page with one of the sites' widgets on it; it has no URL shapes."""

    candidates = SITES


PLATFORMS: tuple[type[Platform], ...] = (
    *SITES,
    EmbeddedSiteWidget,
    GoogleAppointments,  # pages of one calendar owner; auto's reading plus the e-mailed PIN
    MsBookings,  # services, staff with "Anyone"; auto's reading plus the service choice
    CustomRecipe,  # never detected from a URL: chosen by a startup's recipe
    AutoPage,  # never detected from a URL: the fallback when no module matches and there is no recipe
)

__all__ = ["PLATFORMS", "Invitee", "Person", "Platform", "PlatformContext", "StatusCheck", "SubmitResult",
           "detect_platform", "fallback_platform", "get_platform"]


def get_platform(name: str) -> type[Platform]:
    for platform in PLATFORMS:
        if platform.name == name:
            return platform
    known = ", ".join(p.name for p in PLATFORMS)
    raise UnknownPlatform(f"Booker has no module for the platform {name!r} (known: {known})")


def detect_platform(url: str, settings: "Settings | None" = None) -> type[Platform] | None:
    """The platform whose URL shapes (or hosts configured in ``settings``) match ``url``, or None."""
    for platform in PLATFORMS:
        if platform.matches_url(url, settings):
            return platform
    return None


def fallback_platform() -> type[Platform]:
    """The platform that books a page no module recognises and no recipe describes (``auto``: it reads
    the page the way a person does)."""
    return AutoPage
