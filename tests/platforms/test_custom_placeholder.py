"""With no people configured, a recipe's person drop-down takes the first real person, never its prompt."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from booking.platforms.custom.reading import PLACEHOLDER_OPTION
from replicas.server import Request, Response
from replicas.studio import STUDIO_RECIPE, StudioSite, build_studio

PHONE = "+358 40 123 4567"
STUDIO_PROMPT = '<option value="">-- Please choose --</option>'


def studio_prompting_with(prompt: str) -> StudioSite:
    """Nordlys Studio whose person drop-down opens with ``prompt`` instead of its empty-valued one."""
    site = build_studio()
    page_one = site._page_one

    def with_prompt(request: Request, error: str | None = None, staff: str = "") -> Response:
        response = page_one(request, error, staff)
        text = response.body.decode("utf-8")
        assert STUDIO_PROMPT in text
        return Response.html(text.replace(STUDIO_PROMPT, prompt), response.status)

    site._page_one = with_prompt  # type: ignore[method-assign]  # what a failed POST shows again
    site._routes = [(m, p, with_prompt if h == page_one else h) for m, p, h in site._routes]
    return site


@pytest.fixture
def recipe_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path / 'try.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
                        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "6",
                        "BOOKER_USER_NAME": "Ana Lima", "BOOKER_USER_EMAIL": "ana@axa.example"}.items():
        monkeypatch.setenv(name, value)
    recipe = tmp_path / "nordlys.yaml"
    recipe.write_text(STUDIO_RECIPE)
    return recipe


@pytest.mark.browser
@pytest.mark.parametrize("prompt", [
    "<option>Please select a staff member</option>",           # no value: its value is its text
    '<option value="any" selected>Choose…</option>',           # a value, and selected
])
def test_try_with_no_people_picks_the_first_real_person_not_the_prompt(recipe_file: Path, prompt: str) -> None:
    """`try <url>` with no people configured: Mia Berg, the first person listed, not the prompt."""
    from booking.cli.main import main

    out = io.StringIO()
    with studio_prompting_with(prompt) as site:
        code = main(["try", site.booking_url, "--recipe", str(recipe_file), "--dry-run", "--phone", PHONE], out=out)
        assert (site.real_bookings, site.codes_sent) == ([], 0)
    text = out.getvalue()
    assert code == 0, text
    assert "Chose Mia Berg" in text and "selected 'Mia Berg' in select#staff" in text
    assert "Please select" not in text and "Choose…" not in text


def test_prompts_are_told_from_names() -> None:
    """The prompt words only count at the start and as whole words: people named Pickett or Selena stay."""
    for prompt in ("Please select a staff member", "Choose…", "-- Select --", "Select...", "— choose one —", "---"):
        assert PLACEHOLDER_OPTION.match(prompt), prompt
    for name in ("Pickett Lee", "Selena Ortiz", "Mia Berg", "Ann-Marie Ho"):
        assert not PLACEHOLDER_OPTION.match(name), name
