"""The intro message: a template with named placeholders, rendered without ``str.format``.

Templates come from settings and from teammates (the modal), so they are untrusted: only the
placeholders listed in :data:`PLACEHOLDERS` are replaced, by plain substitution. Anything that
looks like attribute access, indexing or a positional field is refused at validation.
"""
from __future__ import annotations

import re
from typing import Mapping

PLACEHOLDERS: dict[str, str] = {
    "user_name": "your full name",
    "first_name": "your first name",
    "last_name": "your last name",
    "email": "your e-mail",
    "company": "your company",
    "role": "your role",
    "startup": "the startup's name",
    "person": "the startup person's name",
    "slot": "the time being booked",
    "alt_slot": "the alternative time",
}

MAX_TEMPLATE_LENGTH = 3000
_FIELD = re.compile(r"\{([^{}]*)\}")


class TemplateError(ValueError):
    """The template can't be used; the message says which placeholder or limit is wrong."""


def validate_template(template: str) -> None:
    """Raise :class:`TemplateError` unless every ``{…}`` is a known placeholder."""
    if len(template) > MAX_TEMPLATE_LENGTH:
        raise TemplateError(f"the message is longer than {MAX_TEMPLATE_LENGTH} characters")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in template):
        raise TemplateError("the message contains control characters")
    for match in _FIELD.finditer(template.replace("{{", "").replace("}}", "")):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
            raise TemplateError(f"unknown placeholder {{{name}}}; use one of {known}")


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Substitute known placeholders; ``{{`` and ``}}`` stay literal braces."""
    validate_template(template)

    def substitute(match: re.Match[str]) -> str:
        return str(values.get(match.group(1), ""))

    sentinel_open, sentinel_close = "\x00OPEN\x00", "\x00CLOSE\x00"
    text = template.replace("{{", sentinel_open).replace("}}", sentinel_close)
    text = _FIELD.sub(substitute, text)
    return text.replace(sentinel_open, "{").replace(sentinel_close, "}")
