"""``python -m booking try <startup-or-url> [--recipe FILE] [--dry-run] [--save-recipe OUT]``: write a
recipe by running it, or let ``auto`` book the page and write down the recipe it followed.

With a recipe, runs it through the same custom platform and agent a real booking uses, but without
the database or Slack: every recipe step is printed and screenshotted, the agent's decisions
(person, slots) are printed between them. Without one, the page is read by ``auto`` (as an unknown
page is when booked), and ``--save-recipe`` writes the steps it took as a recipe (validated first),
so an admin can store it and get the pinned, faster path next time. ``--dry-run`` stops before the
button that sends the booking, so nothing is sent to the startup. An invalid recipe is rejected
before a browser starts.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Sequence, TextIO

from booking.browser.chrome import BrowserFactory, ChromeFactory
from booking.config.settings import Settings
from booking.domain.errors import BookingError
from booking.domain.slots import OfferedSlot, SlotRules
from booking.domain.urls import check_booking_url
from booking.mail.mailbox import Mailbox
from booking.platforms.agent import BookingAgent, BookingJob
from booking.platforms.auto import AutoPage
from booking.platforms.base import Invitee, Person, PlatformContext, PlatformOptions
from booking.platforms.custom.platform import CustomRecipe
from booking.platforms.custom.steps import DryRunStop
from booking.recipes.loading import load_recipe
from booking.recipes.schema import MAX_RECIPE_CHARS, Recipe, RecipeError
from booking.recipes.steps import Step
from booking.store.db import open_database
from booking.store.directory import find_startup


@dataclass
class TryOutcome:
    exit_code: int
    screenshots: list[Path]
    booking_id: str | None = None
    slot: datetime | None = None
    seconds: float = 0.0


class _AcceptAll:
    """No other bookings to clash with when trying a recipe."""

    def hold(self, slots: Sequence[OfferedSlot]) -> list[OfferedSlot]:
        return list(slots)


def read_recipe(path: Path) -> Recipe:
    try:
        if path.stat().st_size > 4 * MAX_RECIPE_CHARS:  # don't read a huge file just to refuse it
            raise RecipeError(f"{path} is {path.stat().st_size} bytes; a recipe has at most {MAX_RECIPE_CHARS} characters")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecipeError(f"can't read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RecipeError(f"{path} is not UTF-8 text") from None
    return load_recipe(text)


def resolve_target(target: str, settings: Settings) -> tuple[str, str, list[Person]]:
    """(booking URL, startup name, people in order) for a URL or a directory entry."""
    if "://" in target:
        return target, target, []
    db = open_database(settings.database_url)
    try:
        with db.session() as session:
            lookup = find_startup(session, target)
            if lookup.startup is None:
                hint = f" Did you mean: {', '.join(lookup.suggestions)}?" if lookup.suggestions else ""
                raise BookingError(f"I don't know a startup called {target[:80]!r}.{hint}")
            config = lookup.startup.config
            if config is None:
                raise BookingError(f"{lookup.startup.display_name} has no booking page configured yet")
            people = [Person.from_config(p) for p in config.available_people or []]
            return config.booking_url, lookup.startup.display_name, [p for p in people if p.name]
    finally:
        db.dispose()


def try_recipe(
    target: str,
    recipe: Recipe | None,
    invitee: Invitee,
    settings: Settings,
    out: TextIO,
    *,
    dry_run: bool = False,
    save_recipe: Path | None = None,
    mailbox: Mailbox | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    browsers: BrowserFactory | None = None,
) -> TryOutcome:
    def say(text: str) -> None:
        print(text, file=out, flush=True)

    started = time.monotonic()
    url, startup_name, people = resolve_target(target, settings)
    check_booking_url(url, settings.allowed_hosts)
    key = f"try-{clock():%Y%m%d-%H%M%S}"
    total = len(recipe.steps) if recipe else 0
    shots: list[Path] = []
    what = f"{recipe.name or 'the recipe'} ({total} steps)" if recipe else "the page with auto (no recipe)"
    say(f"Trying {what} on {url}" + (" — dry run" if dry_run else ""))
    factory = browsers or ChromeFactory(settings)
    with factory.session(key, CustomRecipe.label if recipe else AutoPage.label, invitee.timezone) as page:
        platform: CustomRecipe | AutoPage = CustomRecipe(page) if recipe else \
            AutoPage(page, PlatformOptions(timezone=invitee.timezone))
        platform.configure(PlatformContext(invitee=invitee, startup_name=startup_name, booking_url=url,
                                           mailbox=mailbox, clock=clock, recipe=recipe, settings=settings,
                                           people=tuple(p.name for p in people)))
        platform.dry_run = dry_run

        def shoot(name: str) -> str:
            path = page.screenshot(name)
            if path:
                shots.append(path)
            return f"  ({path.name})" if path else ""

        def on_step(number: int, step: Step, detail: str) -> None:
            say(f"  step {number:>2}/{total} {step.kind:<10} {detail}{shoot(f'step{number:02d}_{step.kind}')}")

        def on_agent(step_key: str, text: str) -> None:
            say(f"  → {text}")

        if isinstance(platform, CustomRecipe):
            platform.listener = on_step
        now = clock()
        rules = SlotRules(timezone=invitee.timezone, earliest=now + timedelta(minutes=settings.lead_time_minutes),
                          latest=now + timedelta(days=settings.search_days))
        job = BookingJob(booking_id=0, url=url, startup_name=startup_name, people=people, invitee=invitee,
                         message_template=settings.message_template, rules=rules)
        try:
            result = BookingAgent(platform, on_agent, _AcceptAll()).run(job)
        except DryRunStop as stop:
            say(f"{stop}{shoot('dry_run_stop')}")
            code = _save(platform, save_recipe, startup_name, say)
            return _done(code, shots, started, say, settings, key)
        except BookingError as exc:
            say(f"Failed: {exc}{shoot('failure')}")
            return _done(1, shots, started, say, settings, key)
    reference = result.submit.external_booking_id
    say(f"Booked {result.booked.start.isoformat()}" + (f", booking id {reference}" if reference else "")
        + ("" if result.submit.confirmed else " (waiting for their confirmation)"))
    outcome = _done(_save(platform, save_recipe, startup_name, say), shots, started, say, settings, key)
    outcome.booking_id, outcome.slot = reference, result.booked.start
    return outcome


def _save(platform: CustomRecipe | AutoPage, path: Path | None, startup_name: str, say: Callable[[str], None]) -> int:
    """Write what ``auto`` did as a recipe (checked to load first); the exit code (1: it couldn't)."""
    if path is None or not isinstance(platform, AutoPage):
        return 0
    text = platform.recording.to_yaml(f"{startup_name} (recorded by auto)")
    try:
        recipe = load_recipe(text)
        path.write_text(text, encoding="utf-8")
    except RecipeError as exc:
        say(f"Not saved: the recorded recipe is not valid ({exc})")
        return 1
    except OSError as exc:
        say(f"Not saved: can't write {path}: {exc.strerror}")
        return 1
    say(f"Saved the recipe auto followed ({len(recipe.steps)} steps) to {path}")
    return 0


def _done(code: int, shots: list[Path], started: float, say: Callable[[str], None], settings: Settings,
          key: str) -> TryOutcome:
    seconds = time.monotonic() - started
    say(f"Screenshots: {settings.screenshot_dir / key} ({len(shots)}); {seconds:.1f} s")
    return TryOutcome(code, shots, seconds=seconds)
