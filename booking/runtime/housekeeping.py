"""Periodic upkeep inside a long-running process: expire reviews nobody answered.

A daemon thread calls :meth:`Housekeeper.run_once` every ``interval`` seconds until stopped (an
explicit wait on a stop event, so ``stop()`` is immediate). Tests call ``run_once`` directly with
a moved clock. When a scheduler lands (the confirmation monitor), this job can move there.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class Housekeeper:
    def __init__(self, tasks: list[Callable[[], object]], interval: float = 60.0) -> None:
        self.tasks = tasks
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> None:
        for task in self.tasks:
            try:
                task()
            except Exception:
                log.exception("housekeeping task %s failed", getattr(task, "__name__", task))

    def start(self) -> "Housekeeper":
        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.run_once()

        self._thread = threading.Thread(target=loop, name="booker-housekeeping", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
