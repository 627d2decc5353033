"""Four bookings at once vs one alone, and how much memory each browser takes at its peak."""
from __future__ import annotations

import os
import threading
import time

import psutil

from tests.bench.common import Result, bench_settings


def _browser_memory() -> tuple[int, float, float]:
    """(browsers, RSS MiB, PSS MiB) of every chromium process tree under a chromedriver."""
    rss = pss = 0.0
    ours = psutil.Process().children()  # only this run's drivers, not other processes' browsers
    drivers = [p for p in ours if p.name() == "chromedriver"]
    for driver in drivers:
        try:
            for child in driver.children(recursive=True):
                info = child.memory_full_info()
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return len(drivers), rss / 2**20, pss / 2**20


def _machine_cpu() -> float:
    """CPU seconds the whole machine has spent (Chromium's many processes included)."""
    times = psutil.cpu_times()
    return times.user + times.system + getattr(times, "nice", 0.0) + getattr(times, "irq", 0.0) + getattr(times, "softirq", 0.0)


def run() -> list[Result]:
    from datetime import datetime, timezone

    from booking.notify.console import ConsoleNotifier
    from booking.runtime.wiring import build_service
    from booking.workflow.requests import BookingRequestInput, Teammate
    from replicas.calendly import CalendlyEventType, CalendlyHost
    from replicas.world import build_calendly, working_slots

    settings = bench_settings(BOOKER_MAX_BROWSERS="4")
    with build_calendly() as calendly:
        service = build_service(settings, notifiers=lambda view: ConsoleNotifier(quiet=True))
        now = datetime.now(timezone.utc)
        for n in range(6):  # one host per booking, so parallel bookings don't race for one slot
            calendly.add_host(CalendlyHost(f"host-{n}", f"Host {n}", f"host{n}@startup.example",
                                           [CalendlyEventType("intro", "Intro")], working_slots(now)))

        def book(n: int) -> str:
            teammate = Teammate(name=f"Bench {n}", email=f"bench{n}@axa.example", timezone="Europe/Helsinki")
            view = service.request_booking(BookingRequestInput(
                teammate=teammate, url=calendly.event_url(f"host-{n}", "intro"), platform="calendly"))
            service.start(view.id)
            return str(view.id)

        book(0)  # warm-up: caches, first chromium start
        service.runner.wait_idle()

        started, cpu_started = time.perf_counter(), _machine_cpu()
        book(1)
        service.runner.wait_idle()
        alone, cpu_alone = time.perf_counter() - started, _machine_cpu() - cpu_started

        peak = {"per_browser_rss": 0.0, "per_browser_pss": 0.0}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                count, rss, pss = _browser_memory()
                if count:
                    peak["per_browser_rss"] = max(peak["per_browser_rss"], rss / count)
                    peak["per_browser_pss"] = max(peak["per_browser_pss"], pss / count)
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        for n in range(2, 6):
            book(n)
        service.runner.wait_idle()
        together = time.perf_counter() - started
        done.set()
        sampler.join()
        statuses = [service.get(i).status for i in range(1, 7)]
        service.runner.shutdown()
    confirmed = sum(1 for s in statuses if s == "confirmed")
    ratio = together / alone
    cores = os.cpu_count() or 1
    # Four bookings need at least four times one booking's CPU: on this many cores, no less wall time.
    floor = max(1.0, 4 * cpu_alone / cores / alone)
    return [
        Result("4 bookings in parallel / 1 alone", ratio, "×", "≤ 2×", ratio <= 2,
               f"4 together {together:.2f} s, 1 alone {alone:.2f} s; {confirmed}/6 confirmed; one alone keeps "
               f"{cpu_alone / alone:.1f} of {cores} cores busy (CPU {cpu_alone:.2f} s), so 4 need ≥ {floor:.1f}× here"),
        Result("peak memory per browser (PSS)", peak["per_browser_pss"], "MiB", "≤ 250 MiB",
               peak["per_browser_pss"] <= 250, f"RSS {peak['per_browser_rss']:.0f} MiB (counts shared pages once per process)"),
    ]
