"""``python -m booking book`` runs its booking itself even where BOOKER_RUN_JOBS=false (the bot's .env):
the terminal waits for the result, so queuing it for a worker would only ever print "pending"."""
from __future__ import annotations

import io
import json

import pytest

from booking.cli.main import main
from booking.store.db import open_database
from booking.store.queue import queued

pytestmark = pytest.mark.browser


def test_cli_book_runs_here_although_the_bot_only_queues(monkeypatch, tmp_path):
    from replicas.world import build_calendly

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for name, value in {"DATABASE_URL": url, "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
                        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "6",
                        "BOOKER_RUN_JOBS": "false"}.items():
        monkeypatch.setenv(name, value)
    with build_calendly() as site:
        out = io.StringIO()
        code = main(["book", "--url", site.event_url("carla-beta", "30min"), "--platform", "calendly",
                     "--name", "Ana Lima", "--email", "ana@axa.example", "--json"], out=out)
        assert code == 0 and json.loads(out.getvalue())["status"] == "confirmed"
        assert len(site.bookings) == 1
    db = open_database(url)
    assert queued(db) == []
    db.dispose()
