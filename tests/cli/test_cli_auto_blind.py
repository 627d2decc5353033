"""``python -m booking book`` on the four booking pages written blind (replicas/blind/anypage/), run as a
teammate runs it (a subprocess with its own environment): no module, no recipe, ``auto`` reads the page.

A directory startup with no platform books its configured person; a bare ``--url`` books whoever the
page offers first; a page with no free day exits non-zero with one line on stderr saying what was missing.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from booking.store.db import open_database
from replicas.blind.anypage import Page1, Page2, Page3, Page4
from replicas.world import seed_directory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
PAGES = {"clinic": Page1, "weekly": Page2, "ownform": Page3, "framed": Page4}
EMAIL = "ana.lima@axa-innovation.example"


def real_now() -> datetime:
    """The CLI runs on the real clock, so the pages do too."""
    return datetime.now(timezone.utc)


class FullClinic(Page1):
    """Page 1 with every day of its window fully booked: a date picker with no enabled day."""

    FULL_DAYS = frozenset(range(Page1.HORIZON_DAYS))


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKER_", "DATABASE_", "SLACK_", "GOOGLE_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "10", "BOOKER_PAGE_LOAD_TIMEOUT": "10",
        "BOOKER_USER_NAME": "Ana Lima", "BOOKER_USER_EMAIL": EMAIL,
        "BOOKER_TEST_RUN": os.environ.get("BOOKER_TEST_RUN", ""),
    })
    return env


def cli(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "booking", *argv], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=180)


def seed(env: dict[str, str], url: str) -> None:
    """Blind Co in the CLI's directory: no platform, no recipe, one configured person."""
    db = open_database(env["DATABASE_URL"])
    try:
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": url,
                             "people": [{"name": "Ben Koski"}]}])
    finally:
        db.dispose()


@pytest.fixture(params=list(PAGES))
def blind_page(request: pytest.FixtureRequest) -> Iterator[object]:
    with PAGES[request.param](now=real_now, people=PEOPLE) as site:
        yield site


def test_a_directory_startup_without_platform_is_booked_with_its_configured_person(cli_env, blind_page):
    seed(cli_env, blind_page.booking_url)
    done = cli(cli_env, "book", "Blind Co")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ Booked Blind Co with Ben Koski" in done.stdout or "Blind Co: pending confirmation" in done.stdout
    assert "Traceback" not in done.stderr
    [recorded] = blind_page.bookings
    assert (recorded["person"], recorded["email"], recorded["name"]) == ("Ben Koski", EMAIL, "Ana Lima")


def test_a_bare_url_of_an_unknown_booking_app_is_booked(cli_env):
    with Page3(now=real_now, people=PEOPLE) as site:
        done = cli(cli_env, "book", "--url", site.booking_url, "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        result = json.loads(done.stdout)
        [recorded] = site.bookings
        assert result["status"] == "confirmed" and result["error"] is None
        assert recorded["person"] == result["person"] and recorded["email"] == EMAIL
        assert datetime.fromisoformat(recorded["start"]) == datetime.fromisoformat(result["slots"][0])


def test_a_page_with_no_free_day_exits_non_zero_with_one_line_saying_what_was_missing(cli_env):
    with FullClinic(now=real_now, people=PEOPLE) as site:
        done = cli(cli_env, "book", "--url", site.booking_url)
        assert done.returncode == 1 and site.bookings == []
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith("error: No time slots found on the booking page: saw a date picker with 0 "
                                      "enabled days"), done.stderr
        assert "failed: No time slots found" in done.stdout  # the progress lines say it too
