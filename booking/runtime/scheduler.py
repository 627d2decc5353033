"""APScheduler 3.x: one interval job runs the confirmation monitor's cycle.

Every bot/worker process may start a scheduler; the monitor's database lease makes sure only one
of them does the work in a given cycle, and another takes over when the holder stops.
"""
from __future__ import annotations

from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from booking.workflow.monitor import ConfirmationMonitor

JOB_ID = "confirmation-monitor"


def start_scheduler(monitor: ConfirmationMonitor, interval_seconds: float = 60.0) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone=timezone.utc,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": int(interval_seconds)},
    )
    scheduler.add_job(
        monitor.run_cycle_safely, IntervalTrigger(seconds=interval_seconds), id=JOB_ID,
        replace_existing=True, next_run_time=datetime.now(timezone.utc),
    )
    scheduler.start()
    return scheduler
