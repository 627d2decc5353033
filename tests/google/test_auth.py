"""Google auth both ways, offline: the JWT exchange and the refresh token go to the fake's token endpoint.

Every failure is one line naming what to fix.
"""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from booking.config.settings import Settings, SettingsError
from calendar_sync import (
    CALENDAR_SCOPES, OAUTH_TOKEN, SERVICE_ACCOUNT, GoogleAuthConfig, GoogleAuthError, GoogleConfig, GoogleWorkspace,
)
from tests.google.conftest import TEAMMATE_EMAIL

START = datetime(2026, 12, 2, 7, 0, tzinfo=timezone.utc)


def workspace_for(google, path: Path, retry, **auth) -> GoogleWorkspace:
    return GoogleWorkspace(GoogleConfig(GoogleAuthConfig(path, **auth), calendar_endpoint=google.calendar_endpoint,
                                        gmail_endpoint=google.gmail_endpoint), retry=retry)


def write(tmp_path: Path, data, name="credentials.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def assert_one_line(error: BaseException, *words: str) -> None:
    text = str(error)
    assert "\n" not in text and len(text) <= 600, text
    for word in words:
        assert word in text, text


def test_service_account_impersonates_each_teammate(google, key_file, retry):
    google.add_user("ana.lima@axa-innovation.example")
    google.set_busy("ana.lima@axa-innovation.example", [(START, START + timedelta(hours=1))])
    workspace = workspace_for(google, key_file, retry)
    assert workspace.mode == SERVICE_ACCOUNT
    assert workspace.calendar(TEAMMATE_EMAIL).free_busy(START, START + timedelta(hours=2)) == []
    assert len(workspace.calendar("ana.lima@axa-innovation.example").free_busy(START, START + timedelta(hours=2))) == 1
    assert [c.user for c in google.calls_to("oauth2.token")] == [TEAMMATE_EMAIL, "ana.lima@axa-innovation.example"]
    jwt_scopes = {c.body["grant_type"] for c in google.calls_to("oauth2.token")}
    assert jwt_scopes == {"urn:ietf:params:oauth:grant-type:jwt-bearer"}


def test_tokens_are_reused_across_calls(google, key_file, retry):
    calendar = workspace_for(google, key_file, retry).calendar(TEAMMATE_EMAIL)
    for _ in range(3):
        calendar.free_busy(START, START + timedelta(hours=1))
    assert len(google.calls_to("oauth2.token")) == 1


def test_installed_app_token_file_refreshes_and_reads_its_owners_calendar(google, tmp_path, retry):
    google.set_busy(TEAMMATE_EMAIL, [(START, START + timedelta(minutes=30))])
    path = write(tmp_path, google.oauth_token_info(TEAMMATE_EMAIL), "token.json")
    workspace = workspace_for(google, path, retry, oauth_account=TEAMMATE_EMAIL, token_uri=google.token_uri)
    assert workspace.mode == OAUTH_TOKEN
    assert len(workspace.calendar(TEAMMATE_EMAIL).free_busy(START, START + timedelta(hours=1))) == 1
    [refresh] = google.calls_to("oauth2.token")
    assert refresh.body["grant_type"] == "refresh_token" and refresh.user == TEAMMATE_EMAIL
    assert workspace.serves(TEAMMATE_EMAIL) and not workspace.serves("someone.else@axa-innovation.example")
    with pytest.raises(GoogleAuthError) as refused:
        workspace.calendar("someone.else@axa-innovation.example").free_busy(START, START + timedelta(hours=1))
    assert_one_line(refused.value, "belongs to eduardo.paz@", "domain-wide delegation")


def test_missing_delegation_names_the_client_id_and_scopes(google, key_file, retry):
    google.delegate("booker@axa-booker.iam.gserviceaccount.com", ["https://www.googleapis.com/auth/gmail.readonly"])
    with pytest.raises(GoogleAuthError) as refused:
        workspace_for(google, key_file, retry).calendar(TEAMMATE_EMAIL).free_busy(START, START + timedelta(hours=1))
    assert_one_line(refused.value, "unauthorized_client", "Domain-wide delegation", "104857600000000000001",
                    *CALENDAR_SCOPES)
    assert google.calls_to("calendar.freebusy.query") == []


def test_a_teammate_outside_the_workspace_is_named(google, key_file, retry):
    with pytest.raises(GoogleAuthError) as refused:
        workspace_for(google, key_file, retry).calendar("stranger@elsewhere.example").free_busy(
            START, START + timedelta(hours=1))
    assert_one_line(refused.value, "invalid_grant", "stranger@elsewhere.example is a user of your Workspace")


def test_a_deleted_key_is_reported(google, key_file, retry):
    google.revoke_key("booker@axa-booker.iam.gserviceaccount.com")
    with pytest.raises(GoogleAuthError) as refused:
        workspace_for(google, key_file, retry).calendar(TEAMMATE_EMAIL).free_busy(START, START + timedelta(hours=1))
    assert_one_line(refused.value, "Invalid JWT Signature", "still active")


def test_a_revoked_refresh_token_says_to_authorize_again(google, tmp_path, retry):
    info = google.oauth_token_info(TEAMMATE_EMAIL)
    google.revoke_refresh_token(info["refresh_token"])
    path = write(tmp_path, info, "token.json")
    with pytest.raises(GoogleAuthError) as refused:
        workspace_for(google, path, retry, token_uri=google.token_uri).calendar(TEAMMATE_EMAIL).free_busy(
            START, START + timedelta(hours=1))
    assert_one_line(refused.value, "invalid_grant", "python -m calendar_sync authorize")


def test_a_token_granted_without_calendar_scopes_says_which_are_needed(google, tmp_path, retry):
    info = google.oauth_token_info(TEAMMATE_EMAIL, scopes=["https://www.googleapis.com/auth/gmail.readonly"])
    info.pop("scopes")  # an old token file that doesn't list its scopes
    path = write(tmp_path, info, "token.json")
    calendar = workspace_for(google, path, retry, token_uri=google.token_uri).calendar(TEAMMATE_EMAIL)
    with pytest.raises(GoogleAuthError) as refused:
        calendar.free_busy(START, START + timedelta(hours=1))
    assert_one_line(refused.value, "invalid_scope", "not authorized for", *CALENDAR_SCOPES, "authorize")


@pytest.mark.parametrize("content, words", [
    (None, ["does not exist", "Keys", "calendar_sync authorize"]),
    ("{not json", ["not a readable JSON"]),
    ("[1, 2]", ["expected a JSON object"]),
    ({"type": "external_account"}, ["'external_account'", "service_account", "authorized_user"]),
    ({"type": "service_account", "client_email": "x@y.iam.gserviceaccount.com"},
     ["lacks private_key, token_uri", "download a new JSON key"]),
    ({"type": "service_account", "client_email": "x@y.example", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n",
      "token_uri": "https://oauth2.googleapis.com/token"}, ["private key can't be read"]),
    ({"type": "authorized_user", "client_id": "c", "client_secret": "s"}, ["lacks refresh_token", "authorize"]),
    ({"type": "authorized_user", "client_id": "c", "client_secret": "s", "refresh_token": "r",
      "scopes": ["https://www.googleapis.com/auth/gmail.readonly"]}, ["without calendar.events", "authorize"]),
])
def test_unusable_credential_files_fail_in_one_line(tmp_path, content, words):
    path = tmp_path / "credentials.json" if content is None else write(tmp_path, content)
    with pytest.raises(GoogleAuthError) as refused:
        GoogleWorkspace(GoogleConfig(GoogleAuthConfig(path)))
    assert_one_line(refused.value, "GOOGLE_CREDENTIALS_FILE", *words)


def test_auth_mode_must_match_the_file(google, key_file):
    with pytest.raises(GoogleAuthError) as refused:
        GoogleWorkspace(GoogleConfig(GoogleAuthConfig(key_file, mode=OAUTH_TOKEN)))
    assert_one_line(refused.value, "holds service_account credentials but GOOGLE_AUTH_MODE is oauth_token")


@pytest.mark.parametrize("environ, words", [
    ({"GOOGLE_CREDENTIALS_FILE": "/nowhere/key.json"}, "GOOGLE_CREDENTIALS_FILE points to /nowhere/key.json"),
    ({"GOOGLE_AUTH_MODE": "magic"}, "GOOGLE_AUTH_MODE must be service_account or oauth_token"),
    ({"GOOGLE_CALENDAR_API_URL": "localhost:9"}, "GOOGLE_CALENDAR_API_URL must be an http(s) URL"),
    ({"BOOKER_WORKING_HOURS": "9-5"}, "BOOKER_WORKING_HOURS must be working hours like 08:00-18:00"),
    ({"BOOKER_WORKING_HOURS": "18:00-08:00"}, "BOOKER_WORKING_HOURS must be working hours"),
    ({"BOOKER_WORKING_DAYS": "weekdays"}, "BOOKER_WORKING_DAYS must be days like mon-fri"),
    ({"BOOKER_BUFFER_MINUTES": "-5"}, "BOOKER_BUFFER_MINUTES must be at least 0"),
])
def test_google_and_hours_settings_are_validated(tmp_path, environ, words):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ, env_file=tmp_path / "absent.env")
    assert_one_line(refused.value, words)


def test_settings_read_google_and_working_hours(tmp_path, key_file):
    from datetime import time

    settings = Settings.from_env({
        "GOOGLE_CREDENTIALS_FILE": str(key_file), "GOOGLE_AUTH_MODE": "service_account",
        "GOOGLE_CALENDAR_API_URL": "http://127.0.0.1:9/calendar/v3/", "BOOKER_WORKING_HOURS": "09:30-17:00",
        "BOOKER_WORKING_DAYS": "mon,wed-thu", "BOOKER_BUFFER_MINUTES": "10",
    }, env_file=tmp_path / "absent.env")
    assert settings.google_enabled and settings.google_credentials_file == key_file
    assert settings.working_hours == (time(9, 30), time(17)) and settings.working_days == {0, 2, 3}
    assert settings.buffer_minutes == 10
    defaults = Settings.from_env({}, env_file=tmp_path / "absent.env")
    assert not defaults.google_enabled and defaults.working_hours == (time(8), time(18))
    assert defaults.working_days == {0, 1, 2, 3, 4}


def test_the_cli_stops_with_one_line_when_the_key_is_unusable(monkeypatch, tmp_path, capsys):
    from booking.cli.main import main

    bad = write(tmp_path, {"type": "service_account", "client_email": "x@y.example"})
    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "s"),
                        "GOOGLE_CREDENTIALS_FILE": str(bad)}.items():
        monkeypatch.setenv(name, value)
    code = main(["book", "Acme", "--name", "Ana Lima", "--email", "ana@axa.example"], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: GOOGLE_CREDENTIALS_FILE") and "lacks private_key, token_uri" in err
