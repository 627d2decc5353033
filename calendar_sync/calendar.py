"""A small Google Calendar client: free/busy and the events Booker creates, as plain dataclasses.

Creating an event is idempotent: the caller derives the event id from something stable
(:func:`event_id_for`), so inserting again answers 409 "already exists", which we treat as
"already created" and return the stored event instead.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timezone
from typing import Any, Iterator, Mapping
from zoneinfo import ZoneInfo

from calendar_sync.errors import GoogleApiError
from calendar_sync.transport import ApiSession

PRIMARY = "primary"
EVENT_ID_PREFIX = "booker"  # every character is base32hex ([0-9a-v])
MAX_PAGES = 50


def event_id_for(*parts: object) -> str:
    """A deterministic Calendar event id (base32hex, 5–1024 chars) from the parts that identify a booking."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return EVENT_ID_PREFIX + base64.b32hexencode(digest).decode("ascii").rstrip("=").lower()[:32]


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Calendar times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def parse_rfc3339(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Attendee:
    email: str
    display_name: str | None = None


@dataclass(frozen=True)
class EventSpec:
    """An event to create. Times are aware; they are sent as wall-clock time in ``time_zone``."""

    summary: str
    start: datetime
    end: datetime
    time_zone: str
    event_id: str | None = None
    description: str = ""
    location: str | None = None
    attendees: tuple[Attendee, ...] = ()
    private_properties: Mapping[str, str] = field(default_factory=dict)
    ical_uid: str | None = None  # events.import only

    def body(self) -> dict[str, Any]:
        zone = ZoneInfo(self.time_zone)
        body: dict[str, Any] = {
            "summary": self.summary,
            "description": self.description,
            "start": {"dateTime": self.start.astimezone(zone).isoformat(), "timeZone": self.time_zone},
            "end": {"dateTime": self.end.astimezone(zone).isoformat(), "timeZone": self.time_zone},
        }
        if self.event_id:
            body["id"] = self.event_id
        if self.ical_uid:
            body["iCalUID"] = self.ical_uid
        if self.location:
            body["location"] = self.location
        if self.attendees:
            body["attendees"] = [
                {"email": a.email, **({"displayName": a.display_name} if a.display_name else {})} for a in self.attendees
            ]
        if self.private_properties:
            body["extendedProperties"] = {"private": {k: str(v) for k, v in self.private_properties.items()}}
        return body


@dataclass(frozen=True)
class CalendarEvent:
    """An event as Google stores it. ``created`` is False when it existed before our insert."""

    id: str
    status: str
    html_link: str
    summary: str
    start: datetime | None
    end: datetime | None
    all_day: bool = False
    ical_uid: str = ""
    location: str | None = None
    description: str = ""
    attendees: tuple[str, ...] = ()
    private_properties: Mapping[str, str] = field(default_factory=dict)
    created: bool = True

    @classmethod
    def from_json(cls, data: Mapping[str, Any], created: bool = True) -> "CalendarEvent":
        start, all_day = _event_time(data.get("start"))
        end, _ = _event_time(data.get("end"))
        return cls(
            id=str(data.get("id", "")),
            status=str(data.get("status", "confirmed")),
            html_link=str(data.get("htmlLink", "")),
            summary=str(data.get("summary", "")),
            start=start,
            end=end,
            all_day=all_day,
            ical_uid=str(data.get("iCalUID", "")),
            location=data.get("location"),
            description=str(data.get("description", "")),
            attendees=tuple(str(a.get("email", "")) for a in data.get("attendees") or [] if isinstance(a, dict)),
            private_properties=dict((data.get("extendedProperties") or {}).get("private") or {}),
            created=created,
        )


def _event_time(value: Any) -> tuple[datetime | None, bool]:
    if not isinstance(value, dict):
        return None, False
    if value.get("dateTime"):
        return parse_rfc3339(value["dateTime"]), False
    if value.get("date"):
        zone = ZoneInfo(value["timeZone"]) if value.get("timeZone") else timezone.utc
        return datetime.combine(date.fromisoformat(value["date"]), time(0), zone), True
    return None, False


class CalendarClient:
    """One teammate's calendar (``primary`` unless told otherwise)."""

    def __init__(self, session: ApiSession, calendar_id: str = PRIMARY) -> None:
        self.session = session
        self.calendar_id = calendar_id

    @property
    def user_email(self) -> str:
        return self.session.user_email

    # -- free/busy --------------------------------------------------------------------------------
    def free_busy(self, start: datetime, end: datetime) -> list[TimeRange]:
        """Busy blocks between ``start`` and ``end``, earliest first."""
        body = {"timeMin": rfc3339(start), "timeMax": rfc3339(end), "items": [{"id": self.calendar_id}]}
        answer = self.session.execute(lambda s: s.freebusy().query(body=body), "freebusy.query")
        calendars = answer.get("calendars") or {}
        entry = calendars.get(self.calendar_id)
        if entry is None and len(calendars) == 1:
            entry = next(iter(calendars.values()))
        if entry is None:
            raise GoogleApiError(f"Google Calendar sent no free/busy for {self.user_email}'s calendar")
        if entry.get("errors"):
            reasons = ", ".join(str(e.get("reason")) for e in entry["errors"])
            raise GoogleApiError(f"Google Calendar can't show free/busy of {self.user_email} ({reasons})", reason=reasons)
        blocks = [TimeRange(parse_rfc3339(b["start"]), parse_rfc3339(b["end"])) for b in entry.get("busy") or []]
        return sorted(blocks, key=lambda block: block.start)

    # -- events -----------------------------------------------------------------------------------
    def insert_event(self, spec: EventSpec, send_updates: str = "none") -> CalendarEvent:
        """Create the event; with a client id, a repeat (409) returns the existing event (``created=False``).

        ``send_updates="none"``: the booking platform already invited the attendees; a second
        invitation from Google would confuse them.
        """
        body = spec.body()
        try:
            answer = self.session.execute(
                lambda s: s.events().insert(calendarId=self.calendar_id, body=body, sendUpdates=send_updates),
                "events.insert",
            )
        except GoogleApiError as exc:
            if exc.status != 409 or not spec.event_id:
                raise
            existing = self.get_event(spec.event_id)
            mine = {k: str(v) for k, v in spec.private_properties.items()}
            theirs = {k: existing.private_properties.get(k) for k in mine}
            if theirs != mine:
                raise GoogleApiError(
                    f"Google Calendar already has a different event with id {spec.event_id} for {self.user_email}",
                    status=409, reason="duplicate",
                ) from None
            return replace(existing, created=False)
        return CalendarEvent.from_json(answer)

    def get_event(self, event_id: str) -> CalendarEvent:
        answer = self.session.execute(
            lambda s: s.events().get(calendarId=self.calendar_id, eventId=event_id), "events.get")
        return CalendarEvent.from_json(answer)

    def patch_event(self, event_id: str, *, summary: str | None = None, description: str | None = None,
                    location: str | None = None, start: datetime | None = None, end: datetime | None = None,
                    time_zone: str | None = None, private_properties: Mapping[str, str] | None = None,
                    send_updates: str = "none") -> CalendarEvent:
        """Change some fields of an event (e.g. the location once a table number is known)."""
        body: dict[str, Any] = {}
        if summary is not None:
            body["summary"] = summary
        if description is not None:
            body["description"] = description
        if location is not None:
            body["location"] = location
        for key, moment in (("start", start), ("end", end)):
            if moment is not None:
                zone = time_zone or "UTC"
                body[key] = {"dateTime": moment.astimezone(ZoneInfo(zone)).isoformat(), "timeZone": zone}
        if private_properties:
            body["extendedProperties"] = {"private": {k: str(v) for k, v in private_properties.items()}}
        answer = self.session.execute(
            lambda s: s.events().patch(calendarId=self.calendar_id, eventId=event_id, body=body,
                                       sendUpdates=send_updates),
            "events.patch",
        )
        return CalendarEvent.from_json(answer)

    def delete_event(self, event_id: str, send_updates: str = "none") -> None:
        self.session.execute(
            lambda s: s.events().delete(calendarId=self.calendar_id, eventId=event_id, sendUpdates=send_updates),
            "events.delete",
        )

    def find_events(self, *, private: Mapping[str, str] | None = None, ical_uid: str | None = None,
                    start: datetime | None = None, end: datetime | None = None,
                    show_deleted: bool = False) -> list[CalendarEvent]:
        """Events tagged with ``private`` extended properties, or with an iCalUID, in a time range."""
        return list(self._iter_events(private or {}, ical_uid, start, end, show_deleted))

    def _iter_events(self, private: Mapping[str, str], ical_uid: str | None, start: datetime | None,
                     end: datetime | None, show_deleted: bool) -> Iterator[CalendarEvent]:
        params: dict[str, Any] = {"calendarId": self.calendar_id, "showDeleted": show_deleted}
        if private:
            params["privateExtendedProperty"] = [f"{k}={v}" for k, v in private.items()]
        if ical_uid:
            params["iCalUID"] = ical_uid
        if start:
            params["timeMin"] = rfc3339(start)
        if end:
            params["timeMax"] = rfc3339(end)
        token: str | None = None
        for _ in range(MAX_PAGES):
            page_params = {**params, **({"pageToken": token} if token else {})}
            answer = self.session.execute(lambda s: s.events().list(**page_params), "events.list")
            for item in answer.get("items") or []:
                yield CalendarEvent.from_json(item)
            token = answer.get("nextPageToken")
            if not token:
                return

    def import_event(self, spec: EventSpec) -> CalendarEvent:
        """Add a private copy of an invite (from an .ics) keyed by its iCalUID: importing again updates it."""
        if not spec.ical_uid:
            raise ValueError("events.import needs the invite's iCalUID")
        body = spec.body()
        body.pop("id", None)
        answer = self.session.execute(
            lambda s: s.events().import_(calendarId=self.calendar_id, body=body), "events.import")
        return CalendarEvent.from_json(answer)

