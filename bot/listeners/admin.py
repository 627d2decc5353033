"""``/book-admin``: the directory from Slack, for the admins in BOOKER_ADMINS.

    add <name> <url> [platform] · people <name>: Alice Smith (CEO) <alice@x>, Bob · test <name>
    list · export · remove <name> · recipe show <name> · recipe set <name> ```<recipe YAML>```

The text arrives as Slack escapes it (``&amp;``, ``&lt;…&gt;``, ``<mailto:…|…>``); each verb reads
it through :mod:`bot.listeners.slack_text` first, so ``R&D Labs`` stays one name and an address stays one person.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond

from booking.domain.errors import BookingError
from booking.workflow.admin import Admin, ShortlistError, parse_people
from bot.blocks.help import ADMIN_USAGE
from bot.desk import BookingDesk
from bot.listeners.slack_text import plain, render

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # keeps \t and \n: a pasted recipe has lines
_CODE_BLOCK = re.compile(r"```\n?(?P<code>.*?)```", re.DOTALL)  # Slack has no language tags
MAX_REPLY = 2900  # a section holds 3000 characters
MORE_USAGE = (
    "\n• `/book-admin list` shows the directory; `/book-admin export` gives it as CSV; "
    "`/book-admin remove <startup>` removes one.\n"
    "• `/book-admin recipe show <startup>`; `/book-admin recipe set <startup>` followed by the recipe YAML in a "
    "```code block``` stores it (validated first)."
)




def parse_admin_add(text: str) -> tuple[str, str, str | None]:
    """``<startup name> <url> [platform]`` (Slack-escaped) → (name, url, platform); ValueError says what is missing."""
    words = plain(text).split()
    for index, word in enumerate(words):
        if word.startswith(("http://", "https://")):
            name = " ".join(words[:index]).strip()
            rest = words[index + 1:]
            if not name:
                raise ValueError("Give the startup's name before its URL: `/book-admin add Acme https://calendly.com/acme`")
            if len(rest) > 1:
                raise ValueError("After the URL only the platform may follow, e.g. `calendly`.")
            return name, word, (rest[0] if rest else None)
    raise ValueError("Give the booking page URL: `/book-admin add Acme https://calendly.com/acme [platform]`")


def parse_admin_people(text: str) -> tuple[str, list[dict[str, str]]]:
    """``<startup>: Alice Smith (CEO) <alice@x.com>, Bob`` (or the first word as the startup), Slack-escaped."""
    text = plain(text)  # a linked address becomes the address, <alice@x> and alice@x alike
    if ":" in text:
        startup, _, people = text.partition(":")
    else:
        startup, _, people = text.partition(" ")
    return startup.strip(), parse_people(people)


def parse_recipe_set(text: str) -> tuple[str, str]:
    """``<startup> ```<yaml>``` `` → (startup, recipe YAML); ValueError when the code block is missing."""
    raw = render(text, lambda token: token.target if token.is_url or token.email is None else token.email)
    block = _CODE_BLOCK.search(raw)
    if block is None:
        raise ValueError("Paste the recipe after the name in a code block: "
                         "`/book-admin recipe set Acme` followed by ```steps: …```")
    name = " ".join(raw[:block.start()].split())
    if not name:
        raise ValueError("Give the startup's name before the recipe: `/book-admin recipe set Acme ```…````")
    return name, block.group("code")


def _clip(text: str, more: str) -> str:
    return text if len(text) <= MAX_REPLY else text[:MAX_REPLY - len(more)].rsplit("\n", 1)[0] + more


def admin_reply(admin: Admin, desk: BookingDesk, user_id: str, text: str, channel: str | None) -> str:
    """What one ``/book-admin`` command does, as the sentence to answer with."""
    verb, _, rest = text.strip().partition(" ")
    verb, rest = verb.lower(), rest.strip()
    if verb == "add":
        name, url, platform = parse_admin_add(rest)
        return admin.add_startup(user_id, name, url, platform)
    if verb == "people":
        startup, people = parse_admin_people(rest)
        return admin.set_people(user_id, startup, people)
    if verb == "test" and rest:
        view = admin.dry_run(desk.teammate(user_id), plain(rest), {"channel": channel})
        where = f" <{view.link}|in its thread>" if view.link else " in its thread"
        return f"Testing {view.startup_name}: the form is filled as you and not sent; screenshots{where}."
    if verb == "list":
        lines = admin.list_startups(user_id)
        return _clip("\n".join(lines) or "The directory is empty.",
                     "\n… (the whole list: `python -m booking startups list`)")
    if verb == "export":
        return "```" + _clip(admin.export(user_id), "\n…\n(the whole file: `python -m booking startups export`)") + "```"
    if verb == "remove" and rest:
        return admin.remove(user_id, plain(rest))
    if verb == "recipe":
        action, _, target = rest.partition(" ")
        if action.lower() == "set":
            name, recipe = parse_recipe_set(target)
            return admin.set_recipe(user_id, name, recipe)
        if action.lower() == "show" and target.strip():
            name, recipe = admin.show_recipe(user_id, plain(target).strip())
            if recipe is None:
                return f"{name} has no recipe; store one with `/book-admin recipe set {name}` and a code block."
            return _clip(f"{name}'s recipe:\n```{recipe}```", "```\n(cut; the whole recipe: "
                         "`python -m booking startups recipe show`)")
    return ADMIN_USAGE + MORE_USAGE


def register_admin_command(app: App, desk: BookingDesk, admin: Admin) -> None:
    @app.command("/book-admin")
    def book_admin(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        user_id = command["user_id"]
        text = _CONTROL.sub("", command.get("text", ""))
        if not admin.is_admin(user_id):
            respond(text="Only Booker admins can use `/book-admin` (admins are listed in BOOKER_ADMINS).",
                    response_type="ephemeral")
            return
        try:
            reply = admin_reply(admin, desk, user_id, text, command.get("channel_id"))
        except (ValueError, ShortlistError, BookingError) as exc:
            reply = str(exc)
        except Exception:
            log.exception("/book-admin %s failed", text.split(" ", 1)[0][:20])
            reply = "Something went wrong on our side; nothing was changed."
        respond(text=reply, response_type="ephemeral")
