"""The original plan's flat ``selectors`` / ``success_indicators`` config, read as a recipe.

Startups configured before recipes existed keep working: :func:`recipe_from_selectors` converts
their flat config, and :func:`recipe_for_config` picks a config's YAML recipe, else that conversion.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from booking.recipes.loading import load_recipe
from booking.recipes.schema import Recipe

_CONTAINS = re.compile(r"""^(?P<selector>.*?):contains\((?P<quote>['"]?)(?P<text>.*?)(?P=quote)\)\s*$""")
FLAT_EXTRAS = ("time_format", "time_attribute")  # Booker's additions to the plan's keys
FLAT_DEFAULTS = {
    "time_slots": ".time-slot",
    "name_field": "input[name='name']",
    "email_field": "input[name='email']",
    "message_field": "textarea[name='notes']",
    "submit_button": "button[type='submit']",
}


def _split_contains(selector: str) -> dict[str, str]:
    """jQuery's ``h1:contains('Confirmed')`` (used by the plan) → {selector: h1, text: Confirmed}."""
    match = _CONTAINS.match(selector.strip())
    if not match:
        return {"selector": selector.strip()}
    target = {"text": match.group("text")}
    if match.group("selector").strip():
        target["selector"] = match.group("selector").strip()
    return target


def recipe_from_selectors(selectors: Mapping[str, Any], success_indicators: list[Any] | None = None,
                          timezone: str | None = None) -> Recipe:
    """The original plan's ``StartupBookingConfig.selectors`` as a recipe (as ``configure_startup_booking``
    wrote them): person drop-down or buttons, a slot list whose text is read as a date and time,
    name/e-mail/message fields (the plan's defaults when absent, skipped if not on the page), submit,
    success indicators."""
    chosen = {**FLAT_DEFAULTS, **{k: v for k, v in selectors.items() if v and k not in FLAT_EXTRAS}}
    steps: list[dict[str, Any]] = [{"open": "{url}"}]
    if selectors.get("person_dropdown"):
        steps.append({"select": {"field": chosen["person_dropdown"], "text": "{person}"}})
    elif selectors.get("person_button"):
        steps.append({"click": {"selector": chosen["person_button"], "text": "{person}"}})
    if selectors.get("time_format"):  # the slot's visible text, e.g. "%a %d %b %Y %H:%M"
        time_from = {"text": True, "format": selectors["time_format"]}
    else:  # an ISO timestamp in an attribute (data-time unless time_attribute says otherwise)
        time_from = {"attribute": selectors.get("time_attribute") or "data-time", "format": "iso"}
    steps.append({"pick_time": {"slots": chosen["time_slots"], "time_from": time_from}})
    steps.append({"fill": {"field": chosen["name_field"], "value": "{name}", "optional": "name_field" not in selectors}})
    steps.append({"fill": {"field": chosen["email_field"], "value": "{email}", "optional": "email_field" not in selectors}})
    steps.append({"fill": {"field": chosen["message_field"], "value": "{message}",
                           "optional": "message_field" not in selectors}})
    submit_selectors = [s.strip() for s in str(chosen["submit_button"]).split(",") if s.strip()]
    steps.append({"submit": _split_contains(submit_selectors[0])})
    indicators = [_split_contains(str(i)) for i in (success_indicators or []) if str(i).strip()]
    steps.append({"success": {"any": indicators or [{"text": "confirmed"}]}})
    data: dict[str, Any] = {"name": "converted from selectors", "steps": steps}
    if timezone:
        data["timezone"] = timezone
    return load_recipe(data)


def recipe_for_config(recipe_text: str | None, selectors: Mapping[str, Any] | None,
                      success_indicators: list[Any] | None) -> Recipe | None:
    """A startup config's recipe: its YAML recipe, else its flat selectors converted, else None."""
    if recipe_text and recipe_text.strip():
        return load_recipe(recipe_text)
    if selectors:
        return recipe_from_selectors(selectors, success_indicators)
    return None
