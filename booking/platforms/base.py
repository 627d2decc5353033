"""The platform plugin base: what every booking-site module must define.

A subclass of :class:`Platform` (one module per site under ``booking/platforms/``) defines:

- ``name`` (registry key, stored on bookings), ``label`` (what the teammate reads),
- ``url_patterns``: regexes full-matched against ``host + path`` of a booking URL; the registry
  uses them to detect the platform, so they must reject look-alikes,
- ``confirms_on_submit``: whether the page's success screen means the meeting is confirmed
  (Calendly) or only requested (a matchmaking request); a page that decides per booking (a Cal.com
  event type that needs the host's approval) says so through ``SubmitResult.confirmed``,
- ``ready_hooks``: what shows that the platform's own page is usable, and ``embed_widgets``: how
  its widget sits on a startup's own page, so ``open`` can step into the widget's iframe,
- ``asks_details_first``: the page wants the guest form before it shows any time (Chili Piper),

and implements the steps the :class:`~booking.agent.BookingAgent` drives, in this order:
``open`` → ``people``/``choose_person`` → ``iter_slots`` → ``choose_slot`` → ``fill_details`` →
``submit``. Each step waits explicitly and raises :mod:`booking.errors` (never raw Selenium
errors) with a sentence a teammate can act on. One instance serves one job and holds its page.

Optional hooks: ``configure(context)`` receives what some pages need beyond the page (the
teammate's sign-in, a mailbox for e-mailed codes, the startup's recipe); ``pre_submit_note()`` adds
a sentence to the step before submit (a request quota); ``check_status(...)`` re-reads a sent
request on the page (platforms that set ``checks_status``; the confirmation monitor calls it);
``mail_signals`` says how the platform's own notification e-mails read (the Gmail check uses it);
``configured_hosts(settings)`` adds hosts from settings to URL detection.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, Literal
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

from booking.browser import Locator, Page
from booking.slots import Interval, OfferedSlot

if TYPE_CHECKING:
    from booking.credentials import Credentials
    from booking.mail import Mailbox
    from booking.mail_signals import PlatformMailSignals
    from booking.settings import Settings
    from booking.http import HttpClient

# Consent managers' accept buttons (OneTrust, Cookiebot, Usercentrics) and plain "accept" buttons
# inside anything that calls itself a cookie or consent banner. Clicked without waiting.
CONSENT_ACCEPT: Locator = (By.XPATH, " | ".join((
    '//*[@id="onetrust-accept-btn-handler" or @id="accept-recommended-btn-handler"'
    ' or @id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll" or @id="CybotCookiebotDialogBodyButtonAccept"'
    ' or @data-testid="uc-accept-all-button" or @id="hs-eu-confirmation-button"]',
    '//*[contains(translate(@id, "COKIESNT", "cokiesnt"), "cookie") or contains(translate(@id, "COKIESNT", "cokiesnt"), "consent")'
    ' or contains(translate(@class, "COKIESNT", "cokiesnt"), "cookie-banner") or contains(translate(@aria-label, "COKIESNT", "cokiesnt"), "cookie")'
    ' or contains(translate(@aria-label, "COKIESNT", "cokiesnt"), "consent")]'
    '//button[normalize-space(.)="Accept all" or normalize-space(.)="Accept All" or normalize-space(.)="Accept"'
    ' or normalize-space(.)="Allow all" or normalize-space(.)="I agree" or normalize-space(.)="I understand"'
    ' or normalize-space(.)="Got it" or normalize-space(.)="OK"]',
)))


@dataclass(frozen=True)
class Person:
    """Someone at the startup the teammate may meet (from the startup's config)."""

    name: str
    email: str | None = None
    role: str | None = None

    @classmethod
    def from_config(cls, data: dict[str, str]) -> "Person":
        return cls(name=str(data.get("name", "")).strip(), email=data.get("email"), role=data.get("role"))


@dataclass(frozen=True)
class Invitee:
    """The teammate as the booking form needs them."""

    name: str
    email: str
    company: str
    role: str
    timezone: str
    phone: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def last_name(self) -> str:
        parts = self.name.split()
        return " ".join(parts[1:]) if len(parts) > 1 else ""

    def answer_for(self, label: str) -> str | None:
        """A value for a custom form field, guessed from its label; None when we don't know."""
        text = label.lower()
        if "company" in text or "organization" in text or "organisation" in text:
            return self.company
        if "role" in text or "title" in text or "position" in text:
            return self.role
        if "phone" in text or "mobile" in text:
            return self.phone
        if "e-mail" in text or "email" in text:
            return self.email
        if "first name" in text:
            return self.first_name
        if "last name" in text or "surname" in text:
            return self.last_name or None
        if "name" in text:
            return self.name
        return None


@dataclass
class SubmitResult:
    """What the page said after submit.

    ``confirmed`` False means the platform took the request but the startup still has to accept it
    (the booking waits in ``pending_confirmation``). ``platform`` names the module that booked when
    another one handed over to it (a widget found on a startup's own page).
    """

    confirmed: bool
    external_booking_id: str | None = None
    host_name: str | None = None
    summary: str = ""
    status_url: str | None = None
    platform: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class PlatformContext:
    """What a platform may need beyond its page; built by the service (or the ``try`` command)."""

    invitee: Invitee | None = None
    startup_name: str = ""
    booking_url: str = ""
    # credentials(platform_name) → the teammate's sign-in for that platform, or None
    credentials: Callable[[str], "Credentials | None"] = lambda platform: None
    mailbox: "Mailbox | None" = None
    clock: Callable[[], datetime] = _utc_now
    people: tuple[str, ...] = ()    # the startup's configured people, in order
    recipe: Any = None              # a booking.recipes.Recipe for custom pages
    settings: "Settings | None" = None


StatusState = Literal["pending", "accepted", "declined", "rescheduled", "cancelled"]


@dataclass(frozen=True)
class StatusCheck:
    """A sent request as its page shows it now (what the confirmation monitor acts on)."""

    state: StatusState
    start: datetime | None = None       # the meeting time (for rescheduled: the newly proposed time)
    location: str | None = None         # e.g. "Table 12"
    detail: str = ""


@dataclass(frozen=True)
class RemoteBookingStatus:
    """What a platform's own API says about a booking we made: plain data for the confirmation monitor.

    ``state`` is one of ``confirmed``, ``pending``, ``declined``, ``cancelled``; ``raw`` is the
    platform's own word for it ("accepted", "rejected", …).
    """

    state: str
    raw: str
    start: datetime | None = None
    host_name: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class PlatformOptions:
    """What a platform module may use besides the page (all optional, injected by the service)."""

    timezone: str | None = None          # the teammate's zone, for pages whose zone can be set
    api_fast_path: bool = False          # use a public booking API where the platform has one
    http: "HttpClient | None" = None     # how to reach that API


@dataclass(frozen=True)
class Widget:
    """How a platform's booking widget sits on a startup's own page.

    ``locator`` finds the widget's container (or the iframe itself when ``frame`` is ""); ``frame``
    is the CSS of the iframe the platform's script puts inside it (None: the widget never has one,
    e.g. a pop-up button). When no iframe appears, the URL in ``url_attribute`` is opened instead,
    relative to ``base_attribute``'s value or ``default_base``.
    """

    locator: Locator
    frame: str | None = "iframe"
    url_attribute: str = ""
    base_attribute: str = ""
    default_base: str = ""


class Platform(ABC):
    """Base for one booking site. See the module docstring for what a subclass defines."""

    name: ClassVar[str]
    label: ClassVar[str]
    url_patterns: ClassVar[tuple[str, ...]] = ()
    confirms_on_submit: ClassVar[bool] = True
    checks_status: ClassVar[bool] = False
    mail_signals: ClassVar["PlatformMailSignals | None"] = None  # how its own notification mails read
    asks_details_first: ClassVar[bool] = False
    ready_hooks: ClassVar[tuple[tuple[Locator, str], ...]] = ()
    embed_widgets: ClassVar[tuple[Widget, ...]] = ()

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        self.page = page
        self.options = options or PlatformOptions()
        page.label = self.label
        self.context = PlatformContext()

    @classmethod
    def configured_hosts(cls, settings: "Settings | None") -> tuple[str, ...]:
        """Hosts (``host`` or ``host:port``) that settings assign to this platform."""
        return ()

    @classmethod
    def matches_url(cls, url: str, settings: "Settings | None" = None) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return False
        host = parts.hostname.lower()
        hosts = cls.configured_hosts(settings)
        if hosts and (host in hosts or (parts.port and f"{host}:{parts.port}" in hosts)):
            return True
        target = f"{host}{parts.path or '/'}"
        return any(re.fullmatch(pattern, target) for pattern in cls.url_patterns)

    def configure(self, context: PlatformContext) -> None:
        """Receive the job's context before ``open``; subclasses needing more validate it here."""
        self.context = context

    def pre_submit_note(self) -> str | None:
        """A sentence for the teammate before the form is sent (e.g. a request quota), or None."""
        return None

    def check_status(self, booking_url: str, external_booking_id: str) -> StatusCheck:
        """Re-read a sent request on the page (only where ``checks_status`` is True)."""
        raise NotImplementedError(f"{self.label} requests can't be re-checked on the page")

    @classmethod
    def remote_status(cls, external_id: str, page_url: str, http: "HttpClient") -> RemoteBookingStatus | None:
        """The booking's status from the platform's public API; None when the platform has none."""
        return None

    # -- steps ------------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Load the booking page, dismiss cookie banners, wait until it is usable.

        On a startup's own page that wraps this platform's widget, step into the widget first.
        """
        self.page.goto(url)
        self.settle()

    def settle(self, widgets: bool = True) -> None:
        """Wait for one of ``ready_hooks`` (or, with ``widgets``, this platform's embedded widget)."""
        from booking.platforms.embed import enter_widget

        self.dismiss_consent()
        hooks = list(self.ready_hooks)
        if widgets:
            hooks += [(widget.locator, f"widget:{index}") for index, widget in enumerate(self.embed_widgets)]
        key, element = self.page.first_visible(hooks, f"the {self.label} booking page")
        if key.startswith("widget:"):
            enter_widget(self.page, self.embed_widgets[int(key.removeprefix("widget:"))], element)
            self.dismiss_consent()
            key, element = self.page.first_visible(self.ready_hooks, f"the {self.label} booking page inside the widget")
        self.dismiss_consent()  # consent managers often inject their banner once the page has rendered
        self.on_ready(key)

    def on_ready(self, key: str) -> None:
        """The page shows the ready hook ``key``: read what the later steps need (zone, duration…)."""

    def dismiss_consent(self) -> None:
        """Accept a cookie or consent banner if one shows now; a page without one costs no wait."""
        for element in self.page.find_all(CONSENT_ACCEPT):
            if element.is_displayed():
                self.page.click(element, "the cookie banner's accept button")
                self.page.wait_for(lambda d: not any(e.is_displayed() for e in d.find_elements(*CONSENT_ACCEPT)),
                                   "the cookie banner to close")
                return

    def people(self) -> list[str]:
        """Names the page lets the invitee choose between (team pages); [] when it assigns a host."""
        return []

    def choose_person(self, person: Person) -> bool:
        """Pick ``person`` on a team page; False if the page does not offer them."""
        return False

    @abstractmethod
    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        """Offered slots inside ``window``, earliest first, produced lazily (scanning costs clicks)."""

    @abstractmethod
    def choose_slot(self, slot: OfferedSlot) -> None:
        """Select ``slot`` (one yielded by :meth:`iter_slots`) and move on to the details form."""

    @abstractmethod
    def fill_details(self, invitee: Invitee, message: str) -> None:
        """Fill name, e-mail, the message and any required field we can answer."""

    @abstractmethod
    def submit(self) -> SubmitResult:
        """Send the form; raise SlotTaken if the page says the time is gone."""
