"""One booking world per platform for the fault suite: a replica, its directory entry, its fault switches.

Every platform Booker books on is here — Calendly, Cal.com, HubSpot Meetings, Chili Piper, the Slush
matchmaking app, a custom page driven by a recipe (Nordlys Studio) and a widget embedded in a
startup's own page (Chili Piper's concierge router in an iframe) — each described the same way
(:class:`replicas.fault_world.PlatformWorld`, by a ``fault_world`` function next to its replica), so a
fault test is written once and runs on all of them. :data:`WORLDS` is the one list; :func:`build_world`
builds Booker around the platform's world.
"""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

import psutil

from booking.browser.chrome import ChromeFactory
from booking.browser.processes import JOB_TAG_SWITCH
from booking.config.settings import Settings
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.notify.notifier import BookingView, NotifierFactory
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from replicas import slush, startup_site, studio, world
from replicas.fault_world import PlatformWorld
from replicas.mail import MailSink
from replicas.server import LoopbackServer

# Each platform on both builds of its replica ("<platform>:blind" is the build written from the public
# facts alone, replicas/blind/); a custom page is driven by its own recipe, so it has one build.
PLATFORMS = ("calendly", "calendly:blind", "calcom", "calcom:blind", "hubspot", "hubspot:blind", "chilipiper",
             "chilipiper:blind", "slush", "slush:blind", "custom", "embed", "embed:blind")
# Each platform's world, described next to its replica: (stack, clock, build, email, mail sink) → PlatformWorld.
WORLDS: dict[str, Callable[[ExitStack, Any, str, str, MailSink], PlatformWorld]] = {
    "calendly": world.calendly_fault_world,
    "calcom": world.calcom_fault_world,
    "hubspot": world.hubspot_fault_world,
    "chilipiper": world.chilipiper_fault_world,
    "slush": slush.fault_world,
    "custom": studio.fault_world,
    "embed": startup_site.fault_world,
}


class Recorder:
    """A notifier that keeps what the teammate was told (thread steps, message updates, DMs)."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, str]] = []
        self.updates: list[BookingView] = []
        self.dms: list[tuple[int, str]] = []
        self.on_step: Callable[[BookingView, str], None] | None = None

    def queued(self, booking: BookingView) -> dict[str, Any]:
        return {}

    def step(self, booking: BookingView, text: str, screenshot: Any = None) -> None:
        self.steps.append((booking.id, text))
        if self.on_step is not None:
            self.on_step(booking, text)

    def updated(self, booking: BookingView) -> None:
        self.updates.append(booking)

    def direct(self, booking: BookingView, text: str) -> None:
        self.dms.append((booking.id, text))

    def told(self, booking_id: int) -> list[str]:
        """Everything the teammate read about one booking: thread steps and DMs."""
        return [t for i, t in self.steps if i == booking_id] + [t for i, t in self.dms if i == booking_id]


# The page's visible text and every field's value: what a screenshot taken now can show.
_SHOWN_JS = """
const values = Array.from(document.querySelectorAll('input, textarea, select')).map(e => e.value);
return [document.body ? document.body.innerText : '', ...values].join('\\n');
"""


class RecordingFactory(ChromeFactory):
    """The real browser factory, remembering each job's page and job tag (to find orphaned processes).

    With ``record_pages``, each saved screenshot also records what the page showed at that moment
    (its text and field values) in ``captured`` as (file name, text), for tests about what
    screenshots may never show.
    """

    def __init__(self, settings: Settings, record_pages: bool = False) -> None:
        super().__init__(settings)
        self.pages: list[Any] = []
        self.job_tags: list[str] = []
        self.record_pages = record_pages
        self.captured: list[tuple[str, str]] = []

    def create_driver(self, job_tag, timezone=None):  # type: ignore[no-untyped-def]
        if job_tag:
            self.job_tags.append(job_tag)
        return super().create_driver(job_tag, timezone)

    @contextmanager
    def session(self, booking_key, label="booking", timezone=None):  # type: ignore[no-untyped-def]
        with super().session(booking_key, label, timezone) as page:
            self.pages.append(page)
            if self.record_pages:
                save = page.screenshots.save

                def save_and_record(step: str, png: bytes) -> Any:
                    path = save(step, png)
                    self.captured.append((path.name, str(page.driver.execute_script(_SHOWN_JS))))
                    return path

                page.screenshots.save = save_and_record
            yield page


def processes_tagged(job_tags: list[str]) -> list[int]:
    """Live processes started with one of these job tags (other test runs' browsers don't count)."""
    markers = {f"{JOB_TAG_SWITCH}{tag}" for tag in job_tags}
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if markers & set(process.info["cmdline"] or []):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


def processes_tagged_by(pid: int) -> list[int]:
    """Live browser processes a Booker process with this pid started (e.g. a dead child's)."""
    prefix = f"{JOB_TAG_SWITCH}{pid}-"
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if any(arg.startswith(prefix) for arg in process.info["cmdline"] or []):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


@dataclass
class World:
    platform: str
    service: BookingService
    browsers: RecordingFactory
    notifier: Recorder
    teammate: Teammate
    startup: str
    first_page: tuple[LoopbackServer, str]
    hook: str
    confirms: bool
    break_hook: Callable[[], None]
    take_slots: Callable[[int], None]
    booked: Callable[[], list[Any]]
    replica: LoopbackServer
    extra: dict[str, Any] = field(default_factory=dict)

    def request(self, **overrides: Any) -> BookingView:
        return self.service.request_booking(BookingRequestInput(teammate=self.teammate, startup=self.startup,
                                                                **overrides))

    def book(self, timeout: float = 240) -> BookingView:
        """Ask for the startup, run the job (and any retries) to the end, return the booking."""
        view = self.request()
        self.service.start(view.id)
        assert self.service.runner.wait_idle(timeout), "the booking job did not finish"
        return self.service.get(view.id)

    def hang_first_page(self) -> None:
        server, path = self.first_page
        server.hang(path)

    def orphans(self) -> list[int]:
        return processes_tagged(self.browsers.job_tags)


def _mail_into(mailbox: InMemoryMailbox) -> MailSink:
    return lambda sent: mailbox.deliver(MailMessage(sent.sender, sent.to, sent.subject, sent.body, sent.sent_at))


@contextmanager
def build_world(platform: str, db: Any, settings: Settings, clock: Any, teammate: Teammate, *,
                notifiers: NotifierFactory | None = None, availability: Any = None) -> Iterator[World]:
    """Start the platform's replica (and the startup's site for embeds), seed its directory entry,
    and build a service with a recording browser factory and a recording notifier (or ``notifiers``,
    e.g. Slack's), and ``availability`` (a teammate calendar) when given."""
    platform, _, build = platform.partition(":")
    if platform not in WORLDS:
        raise ValueError(f"unknown platform {platform!r}; the fault suite knows {', '.join(WORLDS)}")
    mailbox = InMemoryMailbox()
    with ExitStack() as stack:
        made = WORLDS[platform](stack, clock, build or "first", teammate.email, _mail_into(mailbox))
        world.seed_directory(db, made.directory)
        settings_for = settings.with_overrides(**made.settings) if made.settings else settings
        person = replace(teammate, **made.teammate) if made.teammate else teammate

        browsers = RecordingFactory(settings_for)
        runner = JobRunner(settings_for.max_browsers)
        notifier = Recorder()
        service = BookingService(db, settings_for, browsers, runner, clock=clock,
                                 notifiers=notifiers or (lambda view: notifier), mailbox=mailbox,
                                 availability=availability)
        try:
            yield World(platform, service, browsers, notifier, person, made.startup, made.first_page, made.hook,
                        made.confirms, made.break_hook, made.take_slots, made.booked, made.site, made.extra)
        finally:
            runner.shutdown()
        assert browsers.live_sessions == 0, "a browser was left running"
