"""``python -m calendar_sync``: the installed-app consent writes a token Booker can use; ``check`` reads free/busy."""
from __future__ import annotations

import io
import json
import threading
import urllib.request
import webbrowser
from datetime import datetime, timedelta, timezone

import pytest

from calendar_sync.__main__ import authorize, main
from tests.google.conftest import TEAMMATE_EMAIL


class ConsentingBrowser(webbrowser.BaseBrowser):
    """Opens the consent URL like a person who clicks Allow: follows the redirect back to the local server."""

    def __init__(self) -> None:
        super().__init__("consenting-browser")
        self.opened: list[str] = []

    def open(self, url, new=0, autoraise=True):  # type: ignore[no-untyped-def]
        self.opened.append(url)
        threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=30).read(), daemon=True).start()
        return True


@pytest.fixture
def consenting_browser(monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake's token endpoint is plain http
    browser = ConsentingBrowser()
    webbrowser.register("consenting-browser", None, browser)
    return browser


def test_authorize_writes_a_token_booker_can_use(google, tmp_path, consenting_browser, retry):
    from calendar_sync import GoogleAuthConfig, GoogleConfig, GoogleWorkspace

    secrets = tmp_path / "credentials.json"
    secrets.write_text(json.dumps(google.oauth_client_secrets()))
    google.authorize_as(TEAMMATE_EMAIL)
    google.set_busy(TEAMMATE_EMAIL, [(datetime(2026, 12, 2, 7, tzinfo=timezone.utc),
                                      datetime(2026, 12, 2, 8, tzinfo=timezone.utc))])
    token = authorize(secrets, tmp_path / "token.json", browser="consenting-browser")

    [url] = consenting_browser.opened
    assert url.startswith(google.url + "/o/oauth2/auth?") and "code_challenge=" in url
    assert token.stat().st_mode & 0o077 == 0
    saved = json.loads(token.read_text())
    assert saved["type"] == "authorized_user" and saved["refresh_token"].startswith("1//fake-refresh-")
    workspace = GoogleWorkspace(GoogleConfig(GoogleAuthConfig(token, token_uri=google.token_uri),
                                             calendar_endpoint=google.calendar_endpoint), retry=retry)
    start = datetime(2026, 12, 2, tzinfo=timezone.utc)
    assert len(workspace.calendar(TEAMMATE_EMAIL).free_busy(start, start + timedelta(days=1))) == 1


def test_authorize_without_the_client_file_says_where_to_get_it(tmp_path, capsys):
    code = main(["authorize", "--client-secrets", str(tmp_path / "nope.json"), "--token", str(tmp_path / "t.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Desktop app" in err


def test_check_prints_free_busy_or_one_line(google, key_file, capsys):
    google.set_busy(TEAMMATE_EMAIL, [(datetime.now(timezone.utc) + timedelta(hours=1),
                                      datetime.now(timezone.utc) + timedelta(hours=2))])
    out = io.StringIO()
    assert main(["check", TEAMMATE_EMAIL, "--credentials", str(key_file),
                 "--calendar-api-url", google.calendar_endpoint], out=out) == 0
    assert out.getvalue().startswith(f"{TEAMMATE_EMAIL} (service_account): 1 busy block(s) in the next 24 h")
    google.delegate("booker@axa-booker.iam.gserviceaccount.com", [])
    assert main(["check", "ana@axa-innovation.example", "--credentials", str(key_file),
                 "--calendar-api-url", google.calendar_endpoint], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Domain-wide delegation" in err
