"""The semantic locating layer on small pages: what a person sees is what Booker finds."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from booking.browser.semantic import containing, field, hook, label, like, matching, role, starts, text
from booking.domain.errors import PageChanged

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browsers):
    with browsers.session("semantic") as page:
        page.timeout = 1.5
        yield page


def show(page, body: str, head: str = "") -> None:
    page.driver.get("data:text/html;charset=utf-8," + quote(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"))


def names(found) -> list[str]:
    return [f.name for f in found]


def test_implicit_and_explicit_roles_are_one_role(page):
    show(page, '<button>Confirm</button><div role="button" tabindex="0">Confirm</div><a href="#x">Confirm</a>'
               '<input type="submit" value="Confirm">')
    assert [f.tag for f in page.seen_all(role("button", "confirm"))] == ["button", "div", "input"]
    assert [f.tag for f in page.seen_all(role("link", "Confirm"))] == ["a"]


def test_native_checkbox_and_aria_checkbox_are_found_by_the_same_name(page):
    show(page, '<label><input type="checkbox"> 4:00 pm on January 8th</label>'
               '<div role="checkbox" aria-checked="true" aria-label="4:30 pm on January 8th" tabindex="0">4:30 pm</div>')
    found = page.seen_all(role("checkbox", matching(r"^\d{1,2}:\d{2} [ap]m on ")))
    assert names(found) == ["4:00 pm on January 8th", "4:30 pm on January 8th"]
    assert [f.checked for f in found] == [False, True]


def test_aria_labelledby_names_a_region_and_a_heading_level_is_read(page):
    show(page, '<section aria-labelledby="t"><h3 id="t">What time works best?</h3><button>9:00</button></section>'
               '<h2>Select a Date &amp; Time</h2>')
    [region] = page.seen_all(role("region", "What time works best?"))
    assert names(page.seen_all(role("button"), within=region.element)) == ["9:00"]
    assert names(page.seen_all(role("heading", level=2))) == ["Select a Date & Time"]
    assert page.seen_all(role("heading", "Select a Date & Time", level=3)) == []


def test_fields_by_label_for_wrapping_label_aria_label_and_autocomplete(page):
    show(page, '<label for="e">Your email address *</label><input id="e">'
               '<label>First name <input name="fn"></label>'
               '<input aria-label="Last name">'
               '<input type="text" autocomplete="tel" name="p">')
    assert page.seen_all(label(starts("your email")))[0].element.get_attribute("id") == "e"
    assert page.seen_all(label(like("First name")))[0].element.get_attribute("name") == "fn"
    assert page.seen_all(label("last name"))[0].tag == "input"
    assert page.seen_all(field(autocomplete="tel"))[0].element.get_attribute("name") == "p"


def test_text_split_over_nested_tags_is_found_at_its_deepest_element(page):
    show(page, '<main><div><p>You are <b>scheduled</b> with Alice.</p></div></main>')
    [found] = page.seen_all(text(containing("you are scheduled")))
    assert found.tag == "p"
    assert page.seen_all(text("You are scheduled with Alice.")) != []
    assert page.seen_all(text("You are scheduled")) == []
    assert [f.tag for f in page.seen_all(text(starts("You are scheduled with")))] == ["p"]


def test_hidden_elements_are_ignored(page):
    show(page, '<button style="display:none">Next</button><button aria-hidden="true">Next</button>'
               '<div hidden><button>Next</button></div><button style="visibility:hidden">Next</button>'
               '<button>Back</button>')
    assert page.seen_all(role("button", "Next")) == []
    assert names(page.seen_all(role("button"))) == ["Back"]


def test_names_tolerate_case_whitespace_and_glyphs(page):
    show(page, '<button>  Time   zone ▾</button><h3>Monday, January 6, 2025</h3><button>✓ Confirm</button>')
    assert page.seen_all(role("button", like("time zone")))
    assert page.seen_all(role("heading", starts("Monday, January 6")))
    assert page.seen_all(role("button", "Confirm"))


def test_ways_are_tried_in_order_in_one_lookup(page):
    show(page, '<div data-testid="calendar"><button>1</button></div><table aria-label="Select a Day"></table>')
    found = page.seen_all(hook('[data-testid="nope"]', "test"), role("table", "Select a day"),
                          hook('[data-testid="calendar"]', "test"))
    assert (found[0].way, found[0].tag) == (1, "table")


def test_disabled_and_selected_states_are_read(page):
    show(page, '<button disabled>5</button><button aria-disabled="true">6</button><button aria-pressed="true">7</button>'
               '<button>8</button>')
    found = page.seen_all(role("button"))
    assert [(f.name, f.disabled, f.selected) for f in found] == [
        ("5", True, False), ("6", True, False), ("7", False, True), ("8", False, False)]
    assert page.seen(role("button", matching(r"^\d$")), enabled=True).text == "7"


def test_inside_an_iframe(page):
    inner = quote('<button>Schedule a meeting</button>')
    show(page, f'<h1>Kappa</h1><iframe title="Schedule a time | Chili Piper" src="data:text/html,{inner}"></iframe>')
    frame = page.seen(hook("iframe", "test"), what="the widget")
    page.driver.switch_to.frame(frame)
    try:
        assert page.seen_all(role("button", "Schedule a meeting"))
        assert page.seen_all(role("heading", "Kappa")) == []
    finally:
        page.driver.switch_to.default_content()
    assert page.seen_all(role("button", "Schedule a meeting")) == []


def test_a_wait_that_gives_up_says_what_it_looked_for_semantically(page):
    show(page, "<p>Loading…</p>")
    with pytest.raises(PageChanged) as failure:
        page.seen(hook('[data-testid="confirm-book-button"]', "platforms.md §2.2 [V]"), role("button", "Confirm"),
                  timeout=0.3)
    assert "a button named like 'Confirm'" in str(failure.value)


def test_a_page_with_its_own_amd_loader_and_global_keeps_them(page):
    show(page, "<button>Go</button>",
         head="<script>window.define = function () { window.captured = true }; window.define.amd = {};"
              "window.TestingLibraryDom = 'mine';</script>")
    assert page.seen_all(role("button", "Go"))
    assert page.driver.execute_script("return [window.captured === undefined, window.TestingLibraryDom]") == [True, "mine"]


def test_accessibility_snapshot_lists_roles_and_names_in_page_order(page):
    from booking.browser.semantic import accessibility_snapshot

    show(page, '<h2>Pick a time</h2><label for="e">Email</label><input id="e"><button disabled>Confirm</button>')
    snapshot = accessibility_snapshot(page.driver).splitlines()
    assert snapshot[2:] == ['heading (level 2) "Pick a time"', 'textbox "Email"', 'button "Confirm" [disabled]']


def test_a_new_document_gets_the_reader_again(page):
    show(page, "<button>One</button>")
    assert page.seen_all(role("button", "One"))
    show(page, "<button>Two</button>")
    assert page.seen_all(role("button", "Two"))


@pytest.mark.parametrize("label, expected", [
    ("UTC -05:00 Eastern Time ▾", "America/New_York"),          # generic name: New York's, not Cancún's
    ("Currently displaying UTC +02:00 Eastern European Time", "Europe/Helsinki"),  # the teammate's zone first
    ("Central European Time (10:05 AM)", "Europe/Berlin"),
])
def test_a_zone_label_shared_by_several_zones_resolves_to_the_one_pages_mean(page, label, expected):
    from booking.platforms.parts.zone import zone_from_words

    show(page, "<p>zones</p>")
    preferred = ["Europe/Helsinki"] if "European Time" in label and "Eastern" in label else []
    found = zone_from_words(page, label, preferred)
    assert found is not None
    assert _same_rules(found, expected)


def _same_rules(zone: str, other: str) -> bool:
    """Zones that keep the same clock all year (Berlin and Paris) are the same answer."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    moments = [datetime(2026, month, 15, 12, tzinfo=timezone.utc) for month in (1, 4, 7, 10)]
    return all(m.astimezone(ZoneInfo(zone)).utcoffset() == m.astimezone(ZoneInfo(other)).utcoffset() for m in moments)
