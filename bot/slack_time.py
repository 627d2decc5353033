"""Times a colleague reads: Slack's ``<!date^…>`` token, so each reader sees them in their own zone.

A booking's own thread speaks in its teammate's zone (named). Shared surfaces — the Home tab's team
list, the colleague warning — are read by someone else, whose zone may differ: Slack renders the
token in the reader's zone, and clients that can't show the fallback, which names the zone.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SHARED_FORMAT = "{date_short_pretty} at {time}"


def shared_time(moment: datetime, fallback_zone: str) -> str:
    """``<!date^UNIX^{date_short_pretty} at {time}|Wed 2 Dec 09:00 (Europe/Helsinki)>``."""
    local = moment.astimezone(ZoneInfo(fallback_zone))
    fallback = f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({fallback_zone})"
    return f"<!date^{int(moment.timestamp())}^{SHARED_FORMAT}|{fallback}>"
