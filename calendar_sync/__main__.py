"""``python -m calendar_sync``: set up and check Google access without the bot.

    python -m calendar_sync authorize --client-secrets credentials.json --token token.json
    python -m calendar_sync check you@company.com [--credentials FILE]

``authorize`` runs Google's installed-app consent (a local redirect server and your browser) and
writes the token file Booker reads in OAuth mode. ``check`` reads one day of free/busy with the
configured credentials (the ``GOOGLE_*`` environment variables, or the options) and prints it, or
the one-line reason it can't.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence, TextIO

from calendar_sync.auth import ALL_SCOPES, AUTHORIZE_HINT, GoogleAuthConfig
from calendar_sync.errors import GoogleError, one_line
from calendar_sync.workspace import GoogleConfig, GoogleWorkspace


def authorize(client_secrets: Path, token: Path, *, scopes: Sequence[str] = ALL_SCOPES, host: str = "localhost",
              port: int = 0, open_browser: bool = True, browser: str | None = None) -> Path:
    """Run the consent flow and write ``token`` (owner-only). Raises GoogleError in one line."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if not client_secrets.is_file():
        raise GoogleError(f"{client_secrets} does not exist; download the OAuth client (type Desktop app) JSON "
                          "from Cloud console → APIs & Services → Credentials")
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(client_secrets), scopes=list(scopes))
    except (ValueError, KeyError) as exc:
        raise GoogleError(f"{client_secrets} is not an OAuth client secrets file ({one_line(exc, 120)})") from None
    credentials = flow.run_local_server(host=host, port=port, open_browser=open_browser, browser=browser,
                                        authorization_prompt_message="Open this page to let Booker read your "
                                                                     "calendar: {url}")
    token.write_text(json.dumps({"type": "authorized_user", **json.loads(credentials.to_json())}, indent=2))
    token.chmod(0o600)
    return token


def check(email: str, config: GoogleConfig, out: TextIO) -> int:
    workspace = GoogleWorkspace(config)
    start = datetime.now(timezone.utc)
    busy = workspace.calendar(email).free_busy(start, start + timedelta(days=1))
    print(f"{email} ({workspace.mode}): {len(busy)} busy block(s) in the next 24 h", file=out)
    for block in busy:
        print(f"  {block.start.isoformat()} – {block.end.isoformat()}", file=out)
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="python -m calendar_sync", description="Google access for Booker.")
    commands = parser.add_subparsers(dest="command", required=True)
    auth = commands.add_parser("authorize", help="make an OAuth token file for one person")
    auth.add_argument("--client-secrets", required=True, type=Path, help="the Desktop-app OAuth client JSON")
    auth.add_argument("--token", required=True, type=Path, help="where to write token.json")
    auth.add_argument("--no-browser", action="store_true", help="print the consent URL instead of opening it")
    probe = commands.add_parser("check", help="read a day of free/busy for a teammate")
    probe.add_argument("email")
    probe.add_argument("--credentials", type=Path, default=os.environ.get("GOOGLE_CREDENTIALS_FILE"))
    probe.add_argument("--calendar-api-url", default=os.environ.get("GOOGLE_CALENDAR_API_URL"))
    probe.add_argument("--token-uri", default=os.environ.get("GOOGLE_TOKEN_URI"))
    args = parser.parse_args(argv)
    try:
        if args.command == "authorize":
            written = authorize(args.client_secrets, args.token, open_browser=not args.no_browser)
            print(f"Wrote {written}; set GOOGLE_CREDENTIALS_FILE={written}", file=out)
            return 0
        if not args.credentials:
            print(f"error: set GOOGLE_CREDENTIALS_FILE or --credentials (a service account key, or {AUTHORIZE_HINT})",
                  file=sys.stderr)
            return 2
        config = GoogleConfig(GoogleAuthConfig(Path(args.credentials), token_uri=args.token_uri),
                              calendar_endpoint=args.calendar_api_url)
        return check(args.email, config, out)
    except GoogleError as exc:
        # The long-running bot retries on its own; this one-shot command doesn't, so say what to do.
        said = str(exc).replace("; will try again later", "; run the check again in a minute")
        print(f"error: {said}", file=sys.stderr)
        return 3 if getattr(exc, "retryable", False) else 2


if __name__ == "__main__":
    sys.exit(main())
