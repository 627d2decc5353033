"""How a recipe step names an element: by CSS, by visible text, or as a person sees it — an ARIA role
and accessible name, or a form control's label (whole and case-insensitive, or a ``/regex/``).

The semantic names are resolved in the browser's accessibility tree at run time
(:mod:`booking.platforms.custom.locating`); here they are only checked (a ``/regex/`` must compile).
"""
from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


def check_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc})") from None
    return value


class RecipeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def name_pattern(name: str) -> str | None:
    """The regex of a ``/regex/`` name, None for a plain name (matched whole, case-insensitively)."""
    return name[1:-1] if len(name) > 2 and name.startswith("/") and name.endswith("/") else None


def check_name(value: str | None) -> str | None:
    if value is not None and name_pattern(value) is not None:
        check_regex(name_pattern(value))
    return value


class Target(RecipeModel):
    """An element by CSS selector, by visible text, or both (the selector's element with that text);
    or as a person sees it: its ARIA ``role`` and accessible ``name`` (whole, case-insensitive, or
    a ``/regex/``), read from the browser's accessibility tree."""

    selector: str | None = None
    text: str | None = None
    role: str | None = None
    name: str | None = None

    @field_validator("name")
    @classmethod
    def _name_ok(cls, value: str | None) -> str | None:
        return check_name(value)

    @model_validator(mode="after")
    def _one_of(self) -> "Target":
        if self.role and (self.selector or self.text):
            raise ValueError("give either a role (and name), or a selector and/or a text, not both")
        if self.name is not None and not self.role:
            raise ValueError("a name goes with a role (e.g. {role: button, name: Continue})")
        if not self.selector and not self.text and not self.role:
            raise ValueError("give a selector, a text, or both; or a role and its name")
        return self

    @property
    def shown(self) -> str:
        """The target in a person's words (for messages)."""
        if self.role:
            return f"the {self.role} {self.name!r}" if self.name else f"a {self.role}"
        return repr(self.text) if self.text else str(self.selector)


def _field_or_label(data: Any) -> Any:
    """A field named by its label needs no CSS ``field`` (which stays required otherwise)."""
    if isinstance(data, dict) and data.get("label") is not None:
        data = {**data, "field": data.get("field")}
    return data


class FieldRef(RecipeModel):
    """A form control by CSS ``field`` or by its ``label`` (the label text a person reads, or a /regex/)."""

    field: str | None
    label: str | None = None

    @field_validator("label")
    @classmethod
    def _label_ok(cls, value: str | None) -> str | None:
        return check_name(value)

    @model_validator(mode="before")
    @classmethod
    def _by_label(cls, data: Any) -> Any:
        return _field_or_label(data)

    @model_validator(mode="after")
    def _one_field(self) -> "FieldRef":
        if bool(self.field) == bool(self.label):
            raise ValueError("name the control by exactly one of: field (CSS), or label")
        return self

    @property
    def shown(self) -> str:
        return f"the field labelled {self.label!r}" if self.label else str(self.field)
