"""The semantic locating layer: find what a person sees — role and accessible name, label text,
visible text, a field's ``autocomplete``/``type`` — the way the browser's accessibility rules compute it.

Why Testing Library: its DOM queries (``queryAllByRole``, ``queryAllByLabelText``, built on
``dom-accessibility-api``) implement the ARIA role and accessible-name rules, so implicit roles,
``aria-labelledby``, ``<label for>``, heading levels and nested text just work, and they run inside
the page: one ``executeScript`` round trip answers a lookup with WebElements, in any frame, through a
local chromedriver or a remote Grid alike. (Chromium's own ``Accessibility.queryAXTree`` needs a
DevTools round trip per node to get back to a WebElement, matches names exactly only, and is not
there through every Grid.) The library is ``@testing-library/dom`` from the npm registry, fetched by
``./dev setup`` into ``.vendor/`` (pinned version and checksum) and installed into a document the
first time a lookup runs there.

A lookup is a sequence of :class:`Way`\\ s, tried in order inside the page; the first that finds a
shown element wins. Platform hooks (``hook(css, source)``) are one kind of way: a fast first try where
research/platforms.md marks them [V] or [S], always followed by a way a person would use.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Sequence

from selenium.common.exceptions import InvalidSelectorException, WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from booking.domain.errors import BrowserFailure

TESTING_LIBRARY_VERSION = "10.4.2"  # ./dev pins the same version and the package's checksum
READER_FILE = Path(__file__).resolve().parents[2] / ".vendor" / f"testing-library-dom-{TESTING_LIBRARY_VERSION}.umd.min.js"
_FIND_JS = (Path(__file__).with_name("semantic.js")).read_text(encoding="utf-8")
_NO_READER = "booker:no-reader"
_INVALID_SELECTOR = "booker:invalid-selector"
_install_js: str | None = None

How = Literal["like", "starts", "contains", "regex"]


@dataclass(frozen=True)
class Name:
    """How a name or text is matched: case-, whitespace- and glyph-tolerant ("Time zone ▾" is like "time zone")."""

    value: str
    how: How = "like"

    def describe(self) -> str:
        return {"like": f"like {self.value!r}", "starts": f"starting {self.value!r}",
                "contains": f"containing {self.value!r}", "regex": f"matching /{self.value}/"}[self.how]


def like(value: str) -> Name:
    return Name(value, "like")


def starts(value: str) -> Name:
    return Name(value, "starts")


def containing(value: str) -> Name:
    return Name(value, "contains")


def matching(pattern: str) -> Name:
    """A JavaScript regex, tested case-insensitively against the normalised name."""
    return Name(pattern, "regex")


def _name(value: str | Name | None) -> Name | None:
    return Name(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Way:
    """One way a person (or a platform hook) recognises an element."""

    how: Literal["role", "label", "placeholder", "text", "css"]
    role: str = ""
    name: Name | None = None
    level: int | None = None
    states: tuple[tuple[str, bool], ...] = ()
    css: str = ""
    source: str = ""          # for hooks: where the fact comes from (platforms.md section and tag)
    hidden: bool = False      # also elements that are not shown (a select's options, an iframe's host)

    def script_value(self) -> dict[str, Any]:
        return {"how": self.how, "role": self.role, "level": self.level, "css": self.css, "hidden": self.hidden,
                "states": dict(self.states),
                "name": None if self.name is None else {"value": self.name.value, "how": self.name.how}}

    def describe(self) -> str:
        named = f" named {self.name.describe()}" if self.name else ""
        if self.how == "role":
            level = f" (level {self.level})" if self.level else ""
            states = "".join(f" {key}" if value else f" not {key}" for key, value in self.states)
            return f"a{'n' if self.role[:1] in 'aeio' else ''} {self.role}{level}{states}{named}"
        if self.how == "label":
            return f"a field labelled {self.name.describe() if self.name else ''}".rstrip()
        if self.how == "placeholder":
            return f"a field with placeholder {self.name.describe() if self.name else ''}".rstrip()
        if self.how == "text":
            return f"the text {self.name.describe() if self.name else ''}".rstrip()
        return f"the hook {self.css}" + (f" ({self.source})" if self.source else "")


def role(role_name: str, name: str | Name | None = None, *, level: int | None = None, **states: bool) -> Way:
    """By ARIA role (implicit or explicit) and accessible name; ``states``: selected, checked, pressed…"""
    return Way("role", role=role_name, name=_name(name), level=level, states=tuple(sorted(states.items())))


def label(name: str | Name) -> Way:
    """A form control by its label: ``<label for>``, a wrapping label, ``aria-labelledby`` or ``aria-label``."""
    return Way("label", name=_name(name))


def placeholder(name: str | Name) -> Way:
    return Way("placeholder", name=_name(name))


def text(name: str | Name) -> Way:
    """The deepest element whose whole visible text matches (text split over nested tags counts)."""
    return Way("text", name=_name(name))


def hook(css: str, source: str, *, hidden: bool = False) -> Way:
    """A platform's own hook: a fast first try; ``source`` names the fact (e.g. "platforms.md §2.2 [V]")."""
    return Way("css", css=css, source=source, hidden=hidden)


def field(*, autocomplete: str | None = None, type: str | None = None, name_attr: str | None = None) -> Way:
    """A form field by what the HTML says it is for: ``autocomplete`` token, input ``type`` or ``name``."""
    parts = []
    if autocomplete:
        parts.append(f'input[autocomplete~="{autocomplete}" i]')
    if type:
        parts.append(f'input[type="{type}" i]')
    if name_attr:
        parts += [f'input[name="{name_attr}"]', f'textarea[name="{name_attr}"]', f'select[name="{name_attr}"]']
    if not parts:
        raise ValueError("field() needs autocomplete, type or name_attr")
    description = autocomplete and f"autocomplete={autocomplete}" or type and f"type={type}" or f"name={name_attr}"
    return Way("css", css=", ".join(parts), source=f"a field with {description}")


def describe(ways: Sequence[Way]) -> str:
    """What a lookup looked for, in words (used when a wait gives up)."""
    seen: list[str] = []
    for way in ways:
        words = f"a field with {way.source.removeprefix('a field with ')}" if way.how == "css" and \
            way.source.startswith("a field with") else way.describe()
        if words not in seen:
            seen.append(words)
    return " or ".join(seen)


@dataclass(frozen=True)
class Found:
    """An element a lookup found, with what a person perceives of it (read in the same round trip)."""

    element: WebElement
    way: int = 0              # which of the ways found it
    name: str = ""            # accessible name (as computed for role lookups)
    text: str = ""            # visible text, whitespace collapsed
    tag: str = ""
    type: str = ""
    disabled: bool = False
    checked: bool = False
    selected: bool = False    # aria-selected / pressed / current, or an <option>'s selection
    expanded: bool = False
    busy: bool = False
    required: bool = False
    value: str | None = None
    href: str | None = None   # a link's target

    @classmethod
    def from_script(cls, item: dict[str, Any], way: int) -> "Found":
        known = {key: item[key] for key in cls.__dataclass_fields__ if key in item and key != "way"}
        return cls(way=way, **known)


_PRELOADED: "weakref.WeakSet[WebDriver]" = weakref.WeakSet()  # drivers whose Chromium adds the reader itself


def _reader_js() -> str:
    global _install_js
    if _install_js is None:
        if not READER_FILE.is_file():
            raise BrowserFailure(
                f"Booker's page reader ({READER_FILE.name}) is missing: run ./dev setup "
                "(it fetches @testing-library/dom from the npm registry)", retryable=False)
        library = READER_FILE.read_text(encoding="utf-8")
        # Installed under a private name; define/exports/module are hidden so an AMD or CommonJS
        # loader on the page can't capture it, and a page's own global of that name is restored.
        _install_js = (
            "if (!window.__bookerTL) { const saved = window.TestingLibraryDom;"
            "(function (define, exports, module) {\n" + library + "\n}).call(window);"
            "window.__bookerTL = window.TestingLibraryDom;"
            "if (saved === undefined) { delete window.TestingLibraryDom; } else { window.TestingLibraryDom = saved; } }"
            "return !!window.__bookerTL;"
        )
    return _install_js


def install(driver: WebDriver) -> None:
    """Put the reader into the current document (or frame); a no-op where it is already there."""
    driver.execute_script(_reader_js())
    _install_in_new_documents(driver)


def _install_in_new_documents(driver: WebDriver) -> None:
    """Have Chromium put the reader into every later document and frame as it starts, so a page that
    reloads on each choice (a server-filled form) costs no 180 KB round trip per reload. A driver
    without DevTools (a remote Grid session) keeps installing per document, as :func:`_run` does."""
    if driver in _PRELOADED or not hasattr(driver, "execute_cdp_cmd"):
        return
    _PRELOADED.add(driver)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": f"(function () {{{_reader_js()}}})();"})
    except WebDriverException:
        pass  # then each new document is installed on first use, as before


def run_script(driver: WebDriver, script: str, *args: Any) -> Any:
    """Run a script that uses the reader (``window.__bookerTL``), installing it first where needed."""
    return _run(driver, script, *args)


def _run(driver: WebDriver, script: str, *args: Any) -> Any:
    result = driver.execute_script(script, *args)
    if result == _NO_READER:  # a new document: install once, then ask again
        install(driver)
        result = driver.execute_script(script, *args)
    return result


@dataclass(frozen=True)
class Query:
    """One question to the page; several are answered in one round trip (:func:`ask`).

    ``kind``: "find" (``ways`` tried in order, or all with ``every``), "busy" (is the page, or the
    part, still loading?) or "page" (its address and visible text). ``scope``: ways that first find
    the part to look in (the calendar's grid, the list of times; the whole page when none shows);
    ``within``: an element to look in.
    """

    ways: tuple[Way, ...] = ()
    kind: Literal["find", "busy", "page"] = "find"
    scope: tuple[Way, ...] = ()
    within: WebElement | None = None
    details: bool = True
    every: bool = False

    def script_value(self) -> dict[str, Any]:
        return {"kind": self.kind, "ways": [w.script_value() for w in self.ways],
                "scope": [w.script_value() for w in self.scope], "within": self.within,
                "details": self.details, "every": self.every}


@dataclass(frozen=True)
class PageState:
    url: str
    text: str


def ask(driver: WebDriver, queries: Sequence[Query]) -> list[Any]:
    """Answer every query in one round trip: ``list[Found]`` for a find, ``bool`` for busy,
    :class:`PageState` for page."""
    result = _run(driver, _FIND_JS, [q.script_value() for q in queries])
    if result == _INVALID_SELECTOR:
        raise InvalidSelectorException(f"invalid selector in {' / '.join(describe(q.ways) for q in queries)}")
    answers: list[Any] = []
    for query, answer in zip(queries, result):
        if query.kind == "busy":
            answers.append(bool(answer))
        elif query.kind == "page":
            answers.append(PageState(str((answer or {}).get("url", "")), str((answer or {}).get("text", ""))))
        else:
            index = int(answer["index"])
            answers.append([Found.from_script(item, index) for item in answer["items"]])
    return answers


def find(driver: WebDriver, ways: Sequence[Way], within: WebElement | None = None, details: bool = True,
         every: bool = False) -> list[Found]:
    """Shown elements found by the first way that finds any (one round trip); [] when none does.

    ``every``: what all the ways find together instead (in page order, each element once)."""
    return ask(driver, [Query(tuple(ways), within=within, details=details, every=every)])[0]


_SNAPSHOT_JS = """
const TL = window.__bookerTL;
if (!TL) return 'booker:no-reader';
const body = document.body || document.documentElement;
const found = [];
for (const role of Object.keys(TL.getRoles(body, {hidden: false}))) {
  if (['generic', 'none', 'presentation', 'paragraph'].includes(role)) continue;
  TL.queryAllByRole(body, role, {hidden: false, queryFallbacks: true, name: (name, el) => {
    found.push([el, role, name]); return true; }});
}
found.sort((a, b) => a[0] === b[0] ? 0 : (a[0].compareDocumentPosition(b[0]) & 4 ? -1 : 1));
const flags = (el) => ['disabled', 'checked', 'selected', 'pressed', 'expanded', 'required']
  .filter((f) => el[f] === true || el.getAttribute('aria-' + f) === 'true').map((f) => ' [' + f + ']').join('');
const lines = found.slice(0, 1500).map(([el, role, name]) => {
  const level = /^H[1-6]$/.test(el.tagName) ? ' (level ' + el.tagName[1] + ')' : '';
  return role + level + (name ? ' "' + name.replace(/\\s+/g, ' ').trim().slice(0, 200) + '"' : '') + flags(el);
});
return [document.title, location.href, ...lines].join('\\n');
"""


def accessibility_snapshot(driver: WebDriver) -> str:
    """The document's roles and accessible names, one per line in page order (what a screen reader
    would offer): saved beside a failure screenshot so a person can see what was there."""
    return str(_run(driver, _SNAPSHOT_JS))
