"""Data files are owner-only and screenshots expire."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from booking.browser.drivers import ScreenshotSaver
from booking.store.db import open_database
from booking.store.retention import purge_screenshots


def test_database_and_screenshots_are_owner_only(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'data' / 'b.db'}")
    db.dispose()
    assert (tmp_path / "data" / "b.db").stat().st_mode & 0o077 == 0
    path = ScreenshotSaver(tmp_path / "shots", 7).save("page loaded", b"\x89PNG")
    assert path.name == "01_page_loaded.png"
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0


def test_old_screenshot_folders_are_purged_new_ones_kept(tmp_path):
    now = datetime(2026, 12, 31, tzinfo=timezone.utc)
    old = ScreenshotSaver(tmp_path, 1).save("a", b"x")
    new = ScreenshotSaver(tmp_path, 2).save("a", b"x")
    old_time = (now - timedelta(days=40)).timestamp()
    os.utime(old, (old_time, old_time))
    new_time = (now - timedelta(days=2)).timestamp()
    os.utime(new, (new_time, new_time))
    removed = purge_screenshots(tmp_path, timedelta(days=30), now)
    assert removed == [tmp_path / "1"] and not old.exists() and new.exists()
