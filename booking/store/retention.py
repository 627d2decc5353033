"""Screenshot retention: booking screenshots are personal data, so they don't live forever."""
from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

log = logging.getLogger(__name__)


def purge_screenshots(root: Path, older_than: timedelta, now: datetime) -> list[Path]:
    """Delete each booking's screenshot folder whose newest file is older than ``older_than``."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    cutoff = (now - older_than).timestamp()
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        newest = max((f.stat().st_mtime for f in folder.iterdir() if f.is_file()), default=folder.stat().st_mtime)
        if newest < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if removed:
        log.info("deleted screenshots of %d bookings older than %s", len(removed), older_than)
    return removed


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
