"""What the fault suite needs to know about one platform's replica, described next to that replica.

Each replica module has a ``fault_world(stack, clock, build, email, mail_sink)`` (``replicas/world.py``
has the four whose demo sites it builds) that starts its site inside ``stack`` and returns a
:class:`PlatformWorld`; ``tests/hardening/worlds.py`` seeds the directory, builds Booker around it and
writes each fault test once for every platform. Nothing here knows Booker's classes: the directory
entries are plain dicts, the settings and teammate changes plain keyword arguments.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .server import LoopbackServer


@dataclass
class PlatformWorld:
    """One platform's replica with its directory entry and its fault switches.

    - ``first_page``: the server and path of the first page the browser loads (to make it hang),
    - ``break_hook()``: make one step's element never appear, and ``hook``: the words the reason must name,
    - ``take_slots(n)``: the next ``n`` submits find their slot taken by someone else,
    - ``booked()``: what the replica recorded for the teammate (a booking, or a Slush meeting request),
    - ``confirms``: whether a submit confirms at once (else the booking waits in pending_confirmation),
    - ``directory``: the entries to seed (``replicas.world.seed_directory``'s dicts),
    - ``settings``: overrides of Booker's settings (e.g. the event account) and ``teammate``: changes
      to the teammate (e.g. a phone a form requires); ``extra``: what a platform's own tests look at.
    """

    site: LoopbackServer
    startup: str
    first_page: tuple[LoopbackServer, str]
    hook: str
    break_hook: Callable[[], None]
    take_slots: Callable[[int], None]
    booked: Callable[[], list[Any]]
    confirms: bool
    directory: list[dict[str, Any]]
    settings: dict[str, Any] = field(default_factory=dict)
    teammate: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def switch(faults: Any, name: str) -> Callable[[], None]:
    """Turns one fault switch on (``break_hook``)."""
    return lambda: setattr(faults, name, True)


def counter(faults: Any, name: str) -> Callable[[int], None]:
    """Sets how many of the next submits a fault hits (``take_slots``)."""
    return lambda n: setattr(faults, name, n)


def mine(rows: Callable[[], list[dict[str, Any]]], email: str) -> Callable[[], list[dict[str, Any]]]:
    """The teammate's own bookings among a replica's rows, read when called (``booked``)."""
    return lambda: [row for row in rows() if row.get("email") == email and not row.get("other")]
