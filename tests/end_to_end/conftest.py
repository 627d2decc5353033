"""The whole world at once: Slack fake + Google fake + booking replicas whose mail lands in Gmail.

The Google fixtures are the ones of ``tests/google`` (imported, so pytest registers them here too);
the replicas' notification e-mails go through :func:`replicas.mail.into_gmail` into the teammate's
inbox on the Google fake, where the bot reads them with the real Gmail client.
"""
from __future__ import annotations

from tests.google.conftest import (  # noqa: F401  (fixtures)
    TEAMMATE_EMAIL, _loopback_only, google, google_calendar, google_settings, key_file, retry, timer, workspace,
)
