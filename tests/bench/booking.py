"""Booking time per platform replica: the bot vs a minimal hand-written Selenium script.

Both run in the same process against the same replica, alternating, each with a fresh browser
(started with the same options), so the ratio shows what Booker's own work costs: reading the
page, matching slots, screenshots, the database and the audit trail.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.bench.common import Result, bench_settings, median

INVITEE = {"name": "Bench Mark", "first": "Bench", "last": "Mark", "email": "bench@axa.example"}


def intro_message() -> str:
    """The same text the bot sends, so both contenders type as much."""
    from booking.messages import render_template
    from booking.settings import DEFAULT_MESSAGE_TEMPLATE

    text = render_template(DEFAULT_MESSAGE_TEMPLATE, {"user_name": INVITEE["name"], "company": "AXA Innovation"})
    return text + "\n\nIf that time doesn't suit you, Thu 26 Nov, 10:30 (Europe/Helsinki) would work for me too."


@dataclass
class Case:
    label: str
    startup: str                                         # directory name the bot books
    url: Callable[[object], str]                         # the page the minimal script opens
    minimal: Callable[[WebDriver, str], None]           # the hand-written booking


def calendly_minimal(driver: WebDriver, url: str) -> None:
    wait = WebDriverWait(driver, 15, poll_frequency=0.1)
    driver.get(url)
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'table[aria-label="Select a Day"] button[aria-label$="- Times available"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[data-container="time-button"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[aria-label^="Next "]'))).click()
    email = wait.until(EC.visibility_of_element_located((By.NAME, "email")))
    names = driver.find_elements(By.NAME, "full_name")
    if names:
        names[0].send_keys(INVITEE["name"])
    else:
        driver.find_element(By.NAME, "first_name").send_keys(INVITEE["first"])
        driver.find_element(By.NAME, "last_name").send_keys(INVITEE["last"])
    email.send_keys(INVITEE["email"])
    driver.find_element(By.NAME, "question_0").send_keys(intro_message())
    driver.find_element(By.XPATH, '//button[@type="submit"]').click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "You are scheduled"))


CASES = [
    Case("Calendly", "Beta Health", lambda site: site.event_url("carla-beta", "30min"), calendly_minimal),
]


def run(rounds: int = 3) -> list[Result]:
    from booking.browser import ChromeFactory
    from booking.console import ConsoleNotifier
    from booking.service import BookingRequestInput, Teammate
    from booking.wiring import build_service
    from replicas.world import build_calendly, directory_entries, seed_directory

    settings = bench_settings()
    results: list[Result] = []
    with build_calendly() as calendly:
        for host in calendly.hosts.values():  # enough slots for every round of both contenders
            host.slots = host.slots * 1
        service = build_service(settings, notifiers=lambda view: ConsoleNotifier(quiet=True))
        seed_directory(service.db, directory_entries(calendly))
        factory = ChromeFactory(settings)
        teammate = Teammate(name=INVITEE["name"], email=INVITEE["email"], timezone="Europe/Helsinki")
        for case in CASES:
            bot_times: list[float] = []
            script_times: list[float] = []
            for _ in range(rounds):
                started = time.perf_counter()
                view = service.request_booking(BookingRequestInput(teammate=teammate, startup=case.startup))
                final = service.run_booking(view.id)
                bot_times.append(time.perf_counter() - started)
                if final.status != "confirmed":
                    raise SystemExit(f"bench booking failed: {final.error_message}")
                started = time.perf_counter()
                driver = factory.create_driver(None)
                try:
                    case.minimal(driver, case.url(calendly))
                finally:
                    driver.quit()
                script_times.append(time.perf_counter() - started)
            bot, script = median(bot_times), median(script_times)
            results.append(Result(
                f"{case.label} booking: bot / minimal script", bot / script, "×", "≤ 1.2", bot / script <= 1.2,
                f"bot {bot:.2f} s, script {script:.2f} s (median of {rounds})",
            ))
        service.runner.shutdown()
    return results
