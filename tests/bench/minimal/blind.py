"""The minimal scripts for the blind builds (``tests/bench/minimal/blind_<platform>.py``, each written by
the person who built that page), registered as ``<platform>:blind`` with the signature the benchmark uses.

Those scripts take the booking URL and the page's extras (Slush: the account) instead of the world.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, booking_url, minimal, waiter


def _script(platform: str) -> Callable[..., None]:
    return importlib.import_module(f"tests.bench.minimal.blind_{platform}").book


def _register(platform: str, extras: Callable[[Any], dict[str, Any]] = lambda world: {}) -> None:
    def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
        _script(platform)(driver, booking_url(world), invitee, **extras(world))

    minimal(f"{platform}:blind")(book)


def _slush_account(world: Any) -> dict[str, Any]:
    from replicas.slush import DEMO_LOGIN

    return {"login": DEMO_LOGIN, "password": world.extra["password"]}


for _platform in ("calendly", "calcom", "hubspot", "chilipiper"):
    _register(_platform)
_register("slush", _slush_account)


@minimal("embed:blind")
def book_embedded(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    """A person scripting a widget on a startup's page opens the widget's own address (the iframe's src)."""
    driver.get(booking_url(world))
    frame = waiter(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "iframe[src]")))
    _script("chilipiper")(driver, frame.get_attribute("src"), invitee)
