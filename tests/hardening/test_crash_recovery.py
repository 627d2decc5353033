"""The bot process is killed mid-booking and restarted, on every platform.

A child process (``tests/confirmations/crash_child.py``) books the startup and is killed with SIGKILL at a
chosen step; the restarted process (this test's service) runs its first monitor cycle, which finds
the dead job. Killed before anything was sent, the booking is retried and booked exactly once.
Killed just before the form goes out, it may or may not have been sent: the booking must never be
made twice, so it fails and tells the teammate to check the startup's page.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest

from booking.browser.processes import sweep_orphaned_browsers
from booking.domain.states import BookingStatus
from booking.store.leases import Lease
from booking.workflow.monitor import ConfirmationMonitor
from replicas.studio import PHONE
from tests.hardening.worlds import PLATFORMS, build_world, processes_tagged_by
from tests.helpers import eventually

pytestmark = [pytest.mark.browser, pytest.mark.both_databases]
S = BookingStatus


def child_env(settings, now) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The child's settings as the test's, and its clock stopped at the test's "now" (the replicas' too)."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.pop("SLACK_BOT_TOKEN", None)
    env.update({"DATABASE_URL": settings.database_url, "BOOKER_SCREENSHOT_DIR": str(settings.screenshot_dir),
                "BOOKER_ALLOWED_HOSTS": ",".join(settings.allowed_hosts), "BOOKER_STEP_TIMEOUT": "6",
                "BOOKER_RETRY_BACKOFF_SECONDS": "0", "BOOKER_TEST_NOW": now.isoformat()})
    if settings.slush_login:
        env.update({"BOOKER_SLUSH_LOGIN": settings.slush_login, "BOOKER_SLUSH_PASSWORD": settings.slush_password})
    return env


def kill_at(world, step: str) -> tuple[int, int]:
    """Start the child, SIGKILL its process group as soon as it logged ``step``; (booking id, child pid)."""
    args = [sys.executable, "-m", "tests.confirmations.crash_child", world.startup, world.teammate.email]
    if world.teammate.phone:
        args.append(PHONE)
    child = subprocess.Popen(args, env=child_env(world.service.settings, world.service.clock()), stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        booking_id = int(child.stdout.readline())

        def reached() -> bool:
            events = world.service.events(booking_id)
            assert not any(e.to_status == S.FAILED.value for e in events), [e.detail for e in events]
            return any(e.kind == "step" and (e.data or {}).get("step") == step for e in events)

        eventually(reached, 90, f"the child's {step} step")
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    return booking_id, child.pid


def restart(world):  # type: ignore[no-untyped-def]
    """What a restarted bot does first: sweep browsers of dead processes, run a monitor cycle."""
    sweep_orphaned_browsers()
    lease = Lease(world.service.db, "confirmation-monitor", "restarted", timedelta(seconds=90), world.service.clock)
    report = ConfirmationMonitor(world.service, lease, []).run_cycle()
    assert world.service.runner.wait_idle(180)
    return report


@pytest.fixture(params=PLATFORMS)
def world(request, db, settings, clock, teammate):
    with build_world(request.param, db, settings, clock, teammate) as built:
        yield built


def test_killed_after_opening_the_page_is_retried_once_and_books_once(world):
    booking_id, pid = kill_at(world, "page_loaded")
    assert world.service.get(booking_id).status == S.BOOKING_IN_PROGRESS  # what the dead process left
    assert restart(world).recovered == 1

    final = world.service.get(booking_id)
    assert final.status == (S.CONFIRMED if world.confirms else S.PENDING_CONFIRMATION), final.error_message
    assert final.retry_count == 1 and len(world.booked()) == 1
    assert any("stopped unexpectedly (the bot restarted)" in text for text in world.notifier.told(booking_id))
    assert processes_tagged_by(pid) == [], "the dead process's browser still runs"


def test_killed_just_before_the_form_is_sent_is_never_sent_twice(world):
    # where the guest form comes before the times, the slot click is the last step before sending
    last_step = "slot_selected" if world.extra.get("details_first") else "form_filled"
    booking_id, pid = kill_at(world, last_step)
    sent_before_the_kill = len(world.booked())
    assert restart(world).recovered == 1

    final = world.service.get(booking_id)
    assert final.status == S.FAILED and final.retry_count == 0
    assert "the form may already have been sent; check the startup's page before retrying" in final.error_message
    assert len(world.booked()) == sent_before_the_kill <= 1
    assert world.notifier.updates[-1].status == S.FAILED
    assert processes_tagged_by(pid) == [], "the dead process's browser still runs"
