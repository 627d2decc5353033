"""What a platform gets besides its page: the teammate, sign-ins, a mailbox, the startup's recipe, the
job's time budget.

Kept out of ``service.py`` so the service only asks two questions: which platform books this
startup (:func:`platform_for_config`) and what context its job needs (:func:`build_context`). What
differs by platform is read off the platform class (``books_by_recipe``, ``shared_login_settings``),
never tested here by name.
"""
from __future__ import annotations

from typing import Callable, Iterable

from sqlalchemy.orm import Session

from booking.config.credentials import Credentials, CredentialStore
from booking.config.settings import Settings
from booking.domain.errors import BookingError, UnknownPlatform, UnsafeUrl
from booking.domain.urls import check_booking_url
from booking.mail.mailbox import Mailbox
from booking.platforms.base import Invitee, Platform, PlatformContext
from booking.platforms.registry import PLATFORMS, fallback_platform, get_platform
from booking.recipes.legacy import recipe_for_config
from booking.recipes.schema import Recipe
from booking.recipes.steps import URL_PLACEHOLDER, OpenStep
from booking.store.liveness import within_budget
from booking.store.models import MeetingBookingRequest, Startup, StartupBookingConfig
from booking.workflow.questions import answers_for


def config_recipe(config: StartupBookingConfig) -> Recipe | None:
    """The config's recipe (YAML), else its flat selectors converted; RecipeError when invalid."""
    return recipe_for_config(config.recipe, config.selectors, config.success_indicators)


def recipe_platform() -> type[Platform]:
    """The registry's platform that books by a startup's recipe (``custom``)."""
    return next(platform for platform in PLATFORMS if platform.books_by_recipe)


def platform_for_config(config: StartupBookingConfig) -> str:
    """The platform that books this startup: its platform module, or the recipe's platform (``custom``).

    A known platform wins; an unknown/empty platform with a recipe (or the plan's flat selectors)
    means the recipe; neither means the registry's fallback (``auto``). Raises RecipeError for an invalid recipe.
    """
    name = (config.platform_type or "").strip()
    try:
        platform = get_platform(name) if name else None
    except UnknownPlatform:
        platform = None
    if platform is not None and not platform.books_by_recipe:
        return platform.name
    recipe = config_recipe(config)
    if recipe is None:
        return fallback_platform().name  # an unknown page with no recipe is read the way a person reads it
    return recipe_platform().name


def check_config_urls(config: StartupBookingConfig, allowed_hosts: Iterable[str]) -> None:
    """Every other URL the config makes the browser open must be as safe as its booking URL: the
    recipe's literal ``open`` steps and the people's own booking links (UnsafeUrl, or RecipeError)."""
    hosts = tuple(allowed_hosts)
    recipe = config_recipe(config) if (config.recipe or config.selectors) else None
    for number, step in enumerate(recipe.steps if recipe else (), start=1):
        if isinstance(step, OpenStep) and not step.url.startswith(URL_PLACEHOLDER):
            try:
                check_booking_url(step.url, hosts)
            except UnsafeUrl as exc:
                raise UnsafeUrl(f"Recipe step {number} (open): {exc}") from None
    for person in config.available_people or []:
        if isinstance(person, dict) and person.get("booking_url"):
            try:
                check_booking_url(str(person["booking_url"]), hosts)
            except UnsafeUrl as exc:
                raise UnsafeUrl(f"{person.get('name') or 'A person'}'s own booking link: {exc}") from None


def build_context(session: Session, booking: MeetingBookingRequest, invitee: Invitee, settings: Settings,
                  clock: Callable, mailbox: Mailbox | None, credentials: CredentialStore) -> PlatformContext:
    """The booking's platform context; its waits are cut to the time budget of the job running it
    (:func:`booking.store.liveness.within_budget`: the claim of the calling thread)."""
    recipe = None
    startup = session.get(Startup, booking.startup_id) if booking.startup_id else None
    config = startup.config if startup is not None else None
    if get_platform(booking.booking_platform).books_by_recipe:
        if config is None:
            raise BookingError(f"{booking.startup_name} has no recipe configured any more")
        recipe = config_recipe(config)
    people = tuple(str(p.get("name", "")).strip() for p in (config.available_people if config else []) or [])

    def credentials_for(platform: str) -> Credentials | None:
        shared = next((p.shared_login_settings for p in PLATFORMS if p.name == platform), None)
        return credentials.for_teammate(platform, booking.user_email, shared)

    return PlatformContext(invitee=invitee, startup_name=booking.startup_name, booking_url=booking.booking_url,
                           credentials=credentials_for, mailbox=mailbox, clock=clock, recipe=recipe,
                           people=tuple(p for p in people if p),
                           settings=settings, answers=answers_for(session, booking), within_budget=within_budget)
